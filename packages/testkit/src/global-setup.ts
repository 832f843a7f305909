// Vitest globalSetup: one Kafka and one Redis per vitest process, shared by its test files.
// Add it in a workspace's vitest.config.ts:
//   pulseVitestConfig({ test: { globalSetup: ['@pulse/testkit/global-setup'] } })
// Under the root `npm test`, KAFKA_BROKERS and REDIS_URL are already set and nothing starts here.
import type { TestProject } from 'vitest/node';
import { redactUrl } from './infra.js';
import { provisionInfra } from './provision.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infra = await provisionInfra();
  const { kafka, redis } = infra.sources;
  process.stderr.write(
    `[testkit] Kafka ${infra.kafkaBrokers} (${kafka}), Redis ${redactUrl(infra.redisUrl)} (${redis})\n`,
  );
  project.provide('pulseInfra', { kafkaBrokers: infra.kafkaBrokers, redisUrl: infra.redisUrl });
  return () => infra.stop();
}
