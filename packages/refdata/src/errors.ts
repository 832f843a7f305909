import { PulseError } from '@pulse/errors';

/** The closed list of reference-data error codes. */
export type RefDataErrorCode =
  /** A data file is missing or unreadable. */
  | 'REFDATA_FILE'
  /** The data breaks a rule (a code without a row, an ICB without one region, a gap in a window). */
  | 'REFDATA_INVALID'
  /** A date argument is not 'YYYY-MM-DD'. */
  | 'REFDATA_BAD_DATE';

export class RefDataError extends PulseError<RefDataErrorCode> {}
