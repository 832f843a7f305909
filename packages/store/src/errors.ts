import { PulseError } from '@pulse/errors';

/** The closed list of @pulse/store error codes. */
export type StoreErrorCode =
  | 'BAD_OPTION' // a factory option is missing or out of range
  | 'BAD_PLAN' // a plan input breaks an invariant (e.g. offsets out of order)
  | 'PLAN_TOO_LARGE' // a plan's script would take more than MAX_PLAN_ARGUMENTS arguments
  | 'BAD_REPLY' // Redis answered something the store does not understand
  | 'BAD_CURSOR' // a change-log cursor this store could not have issued (or for another partition count)
  | 'CURSOR_EXPIRED' // a change-log cursor older than the log keeps (CursorExpiredError)
  | 'PREFIX_RETIRED'; // a writer reached a key prefix a rebuild retired (PrefixRetiredError)

export class StoreError extends PulseError<StoreErrorCode> {}

/**
 * The change log no longer holds every change after the cursor (trimmed by its retention, or the
 * log was reset): reading on would silently miss some. Start again from `headCursor()` after
 * reading the figures afresh.
 */
export class CursorExpiredError extends StoreError {
  /** The partitions whose part of the cursor fell out of the log. */
  readonly partitions: readonly number[];

  constructor(partitions: readonly number[]) {
    super(
      'CURSOR_EXPIRED',
      `change-log cursor expired on partition(s) ${partitions.join(', ')}: changes after it were trimmed`,
    );
    this.partitions = partitions;
  }
}
