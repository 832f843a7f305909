// Errors are data: a closed list of codes, one class carrying the code.
import { PulseError } from '@pulse/errors';

export const SIMULATOR_ERRORS = {
  BAD_OPTION: 'A command-line option is missing, malformed or out of range.',
  BAD_FAULTS: 'The --faults spec names an unknown kind or a ratio outside 0-1.',
  UNKNOWN_TRUST: '--trusts names a code that is not a trust open on the simulated start date.',
} as const;

export type SimulatorErrorCode = keyof typeof SIMULATOR_ERRORS;

export class SimulatorError extends PulseError<SimulatorErrorCode> {}
