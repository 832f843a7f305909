// A Kafka broker of the test's own (infra/kafka/kafka.mjs in a temporary folder), so a test can
// stop it and start it again on the same port and data (a broker outage) without touching the
// broker every other test shares. Stopped and removed when the test finishes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseAfterTest } from '@pulse/testkit';
import { startLocalKafka, stopLocal } from '@pulse/testkit/infra';

export interface OwnBroker {
  /** KAFKA_BROKERS of this broker; the same after a restart. */
  brokers: string;
  /** A controlled shutdown (kafka.mjs stop); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it answers. */
  start(): Promise<void>;
}

export async function ownBroker(): Promise<OwnBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'agg-own-kafka-'));
  releaseAfterTest('ownBroker', async () => {
    await stopLocal('kafka', dir);
    await rm(dir, { recursive: true, force: true });
  });
  const brokers = await startLocalKafka({ dir, port: 0 });
  const port = Number(brokers.split(':').at(-1));
  return {
    brokers,
    stop: () => stopLocal('kafka', dir),
    start: async () => void (await startLocalKafka({ dir, port })),
  };
}
