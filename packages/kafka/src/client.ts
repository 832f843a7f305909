import type { Logger } from '@pulse/logging';
import { Kafka } from 'kafkajs';
import { kafkajsLevel, pinoLogCreator } from './log-creator.js';

export interface KafkaSettings {
  /** Bootstrap brokers: an array or the KAFKA_BROKERS comma list ("host:port,host:port"). */
  brokers: string | readonly string[];
  /** Names this process in broker logs and quotas, e.g. the service name. */
  clientId: string;
  /** kafkajs's own log lines go here (component "kafkajs"). */
  logger: Logger;
}

/** Splits the KAFKA_BROKERS comma list; blanks are dropped. */
export function parseBrokers(brokers: string | readonly string[]): string[] {
  const list = typeof brokers === 'string' ? brokers.split(',') : [...brokers];
  return list.map((broker) => broker.trim()).filter((broker) => broker.length > 0);
}

/** The one kafkajs client of a process. Connects nothing until a producer, consumer or admin does. */
export function createKafka({ brokers, clientId, logger }: KafkaSettings): Kafka {
  return new Kafka({
    brokers: parseBrokers(brokers),
    clientId,
    // 3 s rather than 1 s to open a connection: a broker on a loaded 2-core machine or CI is slow to accept.
    connectionTimeout: 3_000,
    // Retries start sooner (100 ms, not 300 ms) and go on longer (8, not 5): start-up races
    // such as "coordinator loading" resolve in well under a second.
    retry: { initialRetryTime: 100, retries: 8 },
    logLevel: kafkajsLevel(logger),
    logCreator: pinoLogCreator(logger),
  });
}
