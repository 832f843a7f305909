// `@pulse/testkit/infra`: Kafka and Redis for code that runs outside vitest (`npm run demo`, the
// CLI behind `npm test` / `npm run bench` / `infra:up`, benchmarks). Nothing imported from here
// loads vitest (test/infra-entry.test.ts checks); the per-test helpers are in the package index.
export type { Infra, InfraSource, ProvisionedInfra } from './infra.js';
export { redactUrl } from './infra.js';
export { startLocalKafka, stopLocal } from './local.js';
export { provisionInfra } from './provision.js';
export { repoRoot } from './repo.js';
export {
  benchInfraFromEnv,
  createTopicWithDlq,
  deleteTopicWithDlq,
  FROM_SOURCE_ARGS,
  startAggregator,
  startFromSource,
  stopProcess,
  untilOk,
  type AggregatorRun,
} from './services.js';
export {
  storedOffsets,
  topicEndOffsets,
  waitForStoredOffsets,
  type OffsetKey,
  type WaitForStoredOffsetsOptions,
} from './stored-offsets.js';
