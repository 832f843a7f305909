import { PulseError } from '@pulse/errors';

/** The closed list of @pulse/store error codes. */
export type StoreErrorCode =
  | 'BAD_OPTION' // a factory option is missing or out of range
  | 'BAD_PLAN' // a plan input breaks an invariant (e.g. offsets out of order)
  | 'PLAN_TOO_LARGE' // a plan's script would take more than MAX_PLAN_ARGUMENTS arguments
  | 'BAD_REPLY'; // Redis answered something the store does not understand

export class StoreError extends PulseError<StoreErrorCode> {}
