// The simulator as a library, for tests elsewhere (which read its sent log with @pulse/verify)
// and for benchmarks.
export { generateActivity, type GenerateOptions } from './generate/index.js';
export { measure, type RealismFigures } from './generate/measure.js';
export { injectFaults, type OutRecord, type InjectOptions } from './faults/inject.js';
export {
  FAULT_KINDS,
  parseFaults,
  type Expectation,
  type FaultKind,
  type FaultRatios,
  type RejectCode,
} from './faults/kinds.js';
export { DEFAULT_RTT_SCALE, parseOptions, USAGE, type SimulatorOptions } from './cli/options.js';
export { runSimulator, selectTrusts, simulatedRecords } from './run.js';
export { SimulatorError, type SimulatorErrorCode } from './errors.js';
