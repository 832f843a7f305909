// The change log: each apply appends one entry to its partition's stream (`<p>:changes`, in the
// partition's hash slot) saying which scopes, buckets and providers it changed; readers follow
// all partitions' logs with one cursor. The entry is written by the apply script itself, so a
// change is readable exactly when the figures it names are.
import type { BucketSize } from '@pulse/kpi';
import { defineScript, type Redis, type ScriptCall } from '@pulse/redis';
import { CursorExpiredError, StoreError } from './errors.js';
import { partitionKey, partitionKeys } from './keys.js';
import { readScript } from './lua/scripts.js';
import { execPipeline } from './pipeline.js';
import type { BatchPlan } from './plan.js';

/**
 * The most fields changeEntryOf gives one change-log entry. The apply script may add one more,
 * `coverage` (JSON [scope, buckets] pairs whose only change is coverage: a trust's first report
 * of a family there), which the reader merges into the scopes' buckets.
 */
export const CHANGE_FIELDS = 7;

/**
 * The stream fields of a plan's change-log entry, as [field, value, ...], or null when the batch
 * changes nothing but the offset. Values are strings; lists are JSON.
 */
export function changeEntryOf(plan: BatchPlan): string[] | null {
  const { buckets, gauges, dataQuality, emitted, first } = plan.changes;
  if (buckets.size === 0 && gauges.size === 0 && dataQuality.size === 0) return null;
  const scopes: Record<string, string[]> = {};
  for (const [scope, refs] of buckets) scopes[scope] = [...refs];
  const entry = [
    'first',
    first,
    'next',
    plan.next,
    'events',
    String(plan.summary.accepted),
    'scopes',
    JSON.stringify(scopes),
    'gauges',
    JSON.stringify([...gauges]),
    'dq',
    JSON.stringify([...dataQuality]),
  ];
  if (emitted) entry.push('emitted', `${emitted.newest},${emitted.oldest}`);
  return entry;
}

/** A counter bucket: its size and id (epoch ms of its start, or the London date for 1d). */
export interface BucketRef {
  size: BucketSize;
  id: string;
}

/** What one apply changed for one scope. */
export interface ScopeChange {
  /** The scope key: `t:<ods>`, `i:<icb>`, `r:<region>` or `e` (@pulse/kpi parseScopeKey). */
  scope: string;
  /**
   * Counter buckets whose figures or coverage changed (a trust's first report of a family in a
   * bucket changes its coverage even when no counter moves); empty when only gauges did.
   */
  buckets: BucketRef[];
  /** Whether its live gauges (state: in department, waiting, beds, ...) may have changed. */
  gauges: boolean;
}

/** One change-log entry: one apply of one partition batch. */
export interface Change {
  partition: number;
  /** The stream entry id (`<ms>-<seq>`), unique within the partition. */
  id: string;
  /** When Redis applied it (epoch ms, Redis's clock: the id's time part). */
  at: number;
  /** Resumes right after this change (what a push feed sends as the event id). */
  cursor: string;
  /** The batch's Kafka offsets: [first, next). */
  offsets: { first: string; next: string };
  /** Events applied (duplicates and rejections excluded). */
  events: number;
  /**
   * Scopes whose figures changed, each with the buckets changed. Every scope whose counters or
   * gauges changed is listed; its freshness (newest occurredAt) may have changed with them.
   */
  scopes: ScopeChange[];
  /** Providers whose data-quality counts changed (accepted, duplicates, rejections). */
  dataQuality: string[];
  /** emittedAt of the batch's applied events: the newest and the oldest (epoch ms). */
  emittedAt?: { newest: number; oldest: number };
}

export interface ChangeReaderOptions {
  prefix: string;
  topic: string;
  /** The topic's partition count; a cursor is valid only for this count. */
  partitions: number;
}

export interface ReadChangesOptions {
  /** At most this many changes (default 1,000; 1 to 10,000). */
  limit?: number;
}

export interface ChangeReader {
  /** A cursor after everything logged so far: read figures afresh, then follow from it. */
  headCursor(): Promise<string>;
  /**
   * The changes after the cursor over all partitions, oldest first (by apply time; ties by
   * partition), at most `limit`, and the cursor after the last one returned (the same cursor
   * when none). One round trip. Throws CursorExpiredError when the log no longer holds every
   * change after the cursor, and StoreError BAD_CURSOR for a string that is not a cursor of
   * this topic's partition count.
   */
  readChanges(
    cursor: string,
    options?: ReadChangesOptions,
  ): Promise<{ changes: Change[]; nextCursor: string }>;
}

/** Where a reader stands in one partition's log: after entry `id`, the `added`-th ever added. */
interface Position {
  id: string;
  added: number;
}

const CURSOR_VERSION = 'c1';
const START: Position = { id: '0-0', added: 0 };

/** `c1.` then per partition `<ms>-<seq>-<added>` in base 36, joined by dots. */
export function encodeCursor(positions: readonly Position[]): string {
  const parts = positions.map(({ id, added }) => {
    const [ms, seq] = id.split('-');
    return `${Number(ms).toString(36)}-${Number(seq).toString(36)}-${added.toString(36)}`;
  });
  return [CURSOR_VERSION, ...parts].join('.');
}

export function decodeCursor(cursor: string, partitions: number): Position[] {
  const bad = (why: string) =>
    new StoreError('BAD_CURSOR', `not a change-log cursor of ${partitions} partitions: ${why}`);
  if (typeof cursor !== 'string' || cursor.length > 64 * (partitions + 1)) throw bad('too long');
  const [version, ...parts] = cursor.split('.');
  if (version !== CURSOR_VERSION) throw bad('unknown version');
  if (parts.length !== partitions) throw bad(`${parts.length} partitions`);
  return parts.map((part) => {
    const m = /^([0-9a-z]{1,11})-([0-9a-z]{1,11})-([0-9a-z]{1,11})$/.exec(part);
    if (!m) throw bad('malformed partition position');
    const [ms, seq, added] = [m[1]!, m[2]!, m[3]!].map((n) => parseInt(n, 36));
    if (![ms, seq, added].every((n) => Number.isSafeInteger(n))) throw bad('out of range');
    return { id: `${ms}-${seq}`, added: added! };
  });
}

/** Stream ids compared as (ms, seq). */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

type RawEntry = [id: string, fields: string[]];
type ScriptReply = [added: number, length: number, last: string, entries: RawEntry[]];

function parseEntry(partition: number, [id, flat]: RawEntry): Omit<Change, 'cursor'> {
  const fields = new Map<string, string>();
  for (let f = 0; f < flat.length; f += 2) fields.set(flat[f]!, flat[f + 1]!);
  const json = <T>(name: string, empty: T): T => {
    const text = fields.get(name);
    return text === undefined ? empty : (JSON.parse(text) as T);
  };
  const scopes = new Map<string, ScopeChange>();
  const listed = new Set<string>();
  const add = (pairs: [scope: string, refs: string[]][]) => {
    for (const [scope, refs] of pairs) {
      let change = scopes.get(scope);
      if (!change) scopes.set(scope, (change = { scope, buckets: [], gauges: false }));
      for (const ref of refs) {
        if (listed.has(`${scope}|${ref}`)) continue;
        listed.add(`${scope}|${ref}`);
        const colon = ref.indexOf(':');
        change.buckets.push({ size: ref.slice(0, colon) as BucketSize, id: ref.slice(colon + 1) });
      }
    }
  };
  // Counter buckets, then buckets whose only change is coverage (added by the apply script).
  add(Object.entries(json<Record<string, string[]>>('scopes', {})));
  add(json<[string, string[]][]>('coverage', []));
  for (const scope of json<string[]>('gauges', [])) {
    const known = scopes.get(scope);
    if (known) known.gauges = true;
    else scopes.set(scope, { scope, buckets: [], gauges: true });
  }
  const change: Omit<Change, 'cursor'> = {
    partition,
    id,
    at: Number(id.slice(0, id.indexOf('-'))),
    offsets: { first: fields.get('first') ?? '', next: fields.get('next') ?? '' },
    events: Number(fields.get('events') ?? 0),
    scopes: [...scopes.values()],
    dataQuality: json<string[]>('dq', []),
  };
  const emitted = fields.get('emitted');
  if (emitted) {
    const [newest, oldest] = emitted.split(',').map(Number) as [number, number];
    change.emittedAt = { newest, oldest };
  }
  return change;
}

export function createChangeReader(redis: Redis, options: ChangeReaderOptions): ChangeReader {
  const { partitions } = options;
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new StoreError('BAD_OPTION', `partitions must be a positive integer, got ${partitions}`);
  }
  const script: ScriptCall = defineScript(redis, {
    name: 'pulseStoreChanges',
    lua: readScript('changes'),
    readOnly: true,
  });
  const streams = Array.from(
    { length: partitions },
    (_, i) => partitionKeys(partitionKey(options.prefix, options.topic, i)).changes,
  );

  /** One script per partition, in one pipeline. */
  async function read(after: readonly Position[], count: number): Promise<ScriptReply[]> {
    const pipeline = redis.pipeline();
    streams.forEach((stream, i) => script.queue(pipeline, [stream], [after[i]!.id, count]));
    return (await execPipeline(pipeline)) as ScriptReply[];
  }

  return {
    async headCursor() {
      const replies = await read(
        streams.map(() => START),
        0,
      );
      return encodeCursor(replies.map(([added, , last]) => ({ id: last, added: Number(added) })));
    },

    async readChanges(cursor, { limit = 1_000 } = {}) {
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new StoreError(
          'BAD_OPTION',
          `limit must be an integer from 1 to 10000, got ${limit}`,
        );
      }
      const positions = decodeCursor(cursor, partitions);
      const replies = await read(positions, limit);
      const expired: number[] = [];
      const candidates: { change: Omit<Change, 'cursor'>; added: number }[] = [];
      replies.forEach(([addedEver, length, last, entries], p) => {
        const at = positions[p]!;
        const added = Number(addedEver);
        const trimmed = added - Number(length);
        // Kept entries are numbered trimmed+1..added; the cursor's next one must be among them
        // (or not added yet), and the log must not be behind the cursor (a reset log).
        const behind = added < at.added || compareIds(last, at.id) < 0;
        const missing = Math.min(limit, added - at.added) !== entries.length;
        if (at.added < trimmed || behind || missing) {
          expired.push(p);
          return;
        }
        entries.forEach((entry, e) =>
          candidates.push({ change: parseEntry(p, entry), added: at.added + e + 1 }),
        );
      });
      if (expired.length > 0) throw new CursorExpiredError(expired);
      candidates.sort(
        (a, b) => compareIds(a.change.id, b.change.id) || a.change.partition - b.change.partition,
      );
      const next = [...positions];
      const changes = candidates.slice(0, limit).map(({ change, added }) => {
        next[change.partition] = { id: change.id, added };
        return { ...change, cursor: encodeCursor(next) };
      });
      return { changes, nextCursor: encodeCursor(next) };
    },
  };
}
