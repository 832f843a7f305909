// What both commands (main.ts, the service; rebuild-main.ts, the rebuild) start with: the
// environment validated, the logger, the Kafka client and the writer's Redis connection, closed
// when the process stops.
import { createKafka } from '@pulse/kafka';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import type { MainContext } from '@pulse/service';
import { AGGREGATOR_REDIS_OPTIONS } from './aggregator.js';
import { loadAggregatorConfig } from './config.js';

export async function connectClients(
  service: string,
  { onClose, useLogger }: Pick<MainContext, 'onClose' | 'useLogger'>,
) {
  const config = loadAggregatorConfig(process.env);
  const logger = createLogger({ service, level: config.logLevel });
  useLogger(logger);
  const kafka = createKafka({ brokers: config.brokers, clientId: service, logger });
  const redis = createRedis(config.redisUrl, {
    logger,
    name: service,
    options: AGGREGATOR_REDIS_OPTIONS,
  });
  onClose(() => redis.quit());
  await redis.connect();
  return { config, logger, kafka, redis };
}
