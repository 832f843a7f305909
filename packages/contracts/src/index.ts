export * from './events.js';
export * from './errors.js';
export { createCodec, type Codec, type CodecOptions } from './codec.js';
export { validateEvent, findIssues, EMIT_SKEW_TOLERANCE_MS } from './validate.js';
export { MAX_ID_LENGTH, MIN_ID_LENGTH, payloadRecordName } from './rules.js';
export {
  isSiteOfProvider,
  MAX_BEDS_PER_SNAPSHOT,
  MAX_ED_STAY_MS,
  MAX_HANDOVER_MS,
  MAX_RTT_WAIT_MS,
  MAX_SPELL_MS,
} from './plausibility.js';
export { shapeOf } from './describe.js';
export {
  loadSchemaCatalogue,
  SCHEMA_DIR,
  type SchemaCatalogue,
  type SchemaVersion,
  type PublishedSchema,
} from './schemas.js';
export {
  crc64Avro,
  parsingCanonicalForm,
  schemaFingerprint,
  fingerprintBytes,
  fingerprintHex,
  fingerprintAsSignedLong,
} from './fingerprint.js';
export { toJson, fromJson, parseInstant, type ActivityEventJson } from './json.js';
export { EXAMPLE_EVENTS } from './examples.js';
export { compatibilityProblems, readProblem } from './compatibility.js';
