export { createFigureStore } from './figure-store.js';
export type { ApplyResult, FigureStore, ProbeEvent, ProbeResult } from './figure-store.js';
export { planBatch, planItemOf, SEEN_REPLAY_FLOOR_MS, spellOf } from './plan.js';
export type {
  BatchPlan,
  DischargeRecord,
  PlanInput,
  PlanItem,
  PlanRejection,
  PlannedReport,
  PlannedStateOp,
} from './plan.js';
export { encodePlan, MAX_PLAN_ARGUMENTS, planArguments, planFits } from './encode.js';
export type { EncodedPlan } from './encode.js';
export {
  DEFAULT_CHANGE_LOG,
  DEFAULT_GRACE_MS,
  DEFAULT_RETENTION,
  resolveStoreOptions,
} from './options.js';
export type {
  ChangeLogRetention,
  ResolvedStoreOptions,
  Retention,
  StoreOptions,
} from './options.js';
export { CursorExpiredError, StoreError } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export { familyFreshField, partitionKey, reportedField } from './keys.js';
export { createFigureReader, misplacedTrust, SERIES_CHUNK_BUCKETS } from './reader.js';
export type {
  Completeness,
  FigureReader,
  FreshView,
  MisplacedTrust,
  ReaderOptions,
  Reporting,
  SeriesPoint,
} from './reader.js';
export type { GaugeReading } from './reader-gauges.js';
export { createChangeReader } from './change-log.js';
export type {
  BucketRef,
  Change,
  ChangeReader,
  ChangeReaderOptions,
  ReadChangesOptions,
  ScopeChange,
} from './change-log.js';
export { cursorOps } from './cursors.js';
export {
  checkNotRetired,
  dropPrefix,
  followActivePrefix,
  PrefixRetiredError,
  readActivePrefix,
  RETIRED_OFFSET,
  RETIRED_OFFSET_TTL_MS,
  retirePrefix,
} from './prefixes.js';
export type { ActivePrefix, FollowOptions, PrefixSpace } from './prefixes.js';
export type { CursorOps } from './cursors.js';
export {
  addPacked,
  emptySampleSums,
  sampleField,
  sampleKeys,
  SAMPLED_FIGURES,
} from './gauge-samples.js';
export type { GaugeSamplePoint, PlannedSample, SampleSums } from './gauge-samples.js';
