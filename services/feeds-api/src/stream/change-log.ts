import { PulseError } from '@pulse/errors';

// What the push feed needs from the change log (@pulse/store's change reader, adapted in
// main.ts): read from a cursor, the head, and two questions about cursors. The hub and the
// changes route depend on this port only, so their logic is tested against a small in-memory log.

/** One entry of the change log: one apply of one partition batch. */
export interface LoggedChange {
  /** Partition of the activity topic whose apply wrote it. */
  partition: number;
  /** The entry id within its partition (`<ms>-<seq>`). */
  id: string;
  /** When Redis applied it (epoch ms). */
  at: number;
  /** Resumes right after this change. */
  cursor: string;
  /** Scope keys (`e`, `r:<region>`, `i:<icb>`, `t:<ods>`) whose figures it changed. */
  scopes: readonly string[];
  /** Per scope key: buckets whose figures or coverage changed (`<size>:<id>`), and gauges. */
  detail?: Readonly<Record<string, { buckets: readonly string[]; gauges: boolean }>>;
  /** The newest emittedAt of the events it applied (epoch ms), when known. */
  emittedAt?: number;
}

export interface ChangePage {
  changes: LoggedChange[];
  /** The cursor after the last change returned (the same cursor when none). */
  nextCursor: string;
}

export interface ChangeLog {
  /** A cursor after everything logged so far. */
  headCursor(): Promise<string>;
  /**
   * Up to `limit` changes after the cursor, oldest first. Throws a ChangeLogError: `expired`
   * when the log no longer holds every change after it, `malformed` for a string that is not a
   * cursor of this log.
   */
  readChanges(cursor: string, options: { limit: number }): Promise<ChangePage>;
  /** Whether the cursor is at or past the change (a reader at `cursor` has had it). */
  covers(cursor: string, change: Pick<LoggedChange, 'partition' | 'id'>): boolean;
  /** The cursor at or past everything either is past (per partition, the later position). */
  join(a: string, b: string): string;
  /** Throws a `malformed` ChangeLogError unless `cursor` is a cursor of this log. */
  check(cursor: string): void;
}

export type ChangeLogErrorKind = 'expired' | 'malformed';

/** A cursor the log cannot serve: what the adapter turns the store's errors into. */
export class ChangeLogError extends PulseError<ChangeLogErrorKind> {
  readonly kind: ChangeLogErrorKind;

  constructor(kind: ChangeLogErrorKind, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
    this.name = 'ChangeLogError';
    this.kind = kind;
  }
}

/** `<partition>:<id>`: how events name a change (unique in the log). */
export function changeId(change: Pick<LoggedChange, 'partition' | 'id'>): string {
  return `${change.partition}:${change.id}`;
}
