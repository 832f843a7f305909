// The change-log port (change-log.ts) filled by @pulse/store's change reader: its changes reduced
// to what the feed uses, its cursor questions, and its errors turned into ChangeLogError.
import {
  createChangeReader,
  cursorOps,
  CursorExpiredError,
  StoreError,
  type Change,
  type ChangeReaderOptions,
} from '@pulse/store';
import type { Redis } from '@pulse/redis';
import { ChangeLogError, type ChangeLog, type LoggedChange } from './change-log.js';

function logged(change: Change): LoggedChange {
  const detail: Record<string, { buckets: string[]; gauges: boolean }> = {};
  for (const scope of change.scopes) {
    detail[scope.scope] = {
      buckets: scope.buckets.map((b) => `${b.size}:${b.id}`),
      gauges: scope.gauges,
    };
  }
  const result: LoggedChange = {
    partition: change.partition,
    id: change.id,
    at: change.at,
    cursor: change.cursor,
    scopes: change.scopes.map((s) => s.scope),
    detail,
  };
  if (change.emittedAt) result.emittedAt = change.emittedAt.newest;
  return result;
}

/** Runs `work`, turning the store's cursor errors into the port's. */
function translated<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw portError(err);
  }
}

function portError(err: unknown): unknown {
  if (err instanceof CursorExpiredError)
    return new ChangeLogError('expired', err.message, { cause: err });
  if (err instanceof StoreError && err.code === 'BAD_CURSOR')
    return new ChangeLogError('malformed', err.message, { cause: err });
  return err;
}

export function changeLogFromStore(redis: Redis, options: ChangeReaderOptions): ChangeLog {
  const reader = createChangeReader(redis, options);
  const ops = cursorOps(options.partitions);
  return {
    headCursor: () => reader.headCursor(),
    async readChanges(cursor, { limit }) {
      try {
        const page = await reader.readChanges(cursor, { limit });
        return { changes: page.changes.map(logged), nextCursor: page.nextCursor };
      } catch (err) {
        throw portError(err);
      }
    },
    covers: (cursor, change) => translated(() => ops.covers(cursor, change)),
    join: (a, b) => translated(() => ops.join(a, b)),
    check: (cursor) => translated(() => ops.check(cursor)),
  };
}
