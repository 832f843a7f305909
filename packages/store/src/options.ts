// Options shared by the figure store (writer) and the plan: where keys live and how long they stay.
import { DAY_MS, type BucketSize } from '@pulse/kpi';
import type { RefData } from '@pulse/refdata';
import { StoreError } from './errors.js';
import { scopeStructureOf, type ScopeStructure } from './scope-structure.js';

/** How long a counter key outlives the end of its bucket, per bucket size, in ms. */
export type Retention = Record<BucketSize, number>;

export const DEFAULT_RETENTION: Readonly<Retention> = {
  '15m': 35 * DAY_MS, // must outlive the grace period, with room for a month's look-back
  '1h': 400 * DAY_MS, // a year of hourly series plus a month
  '1d': 5 * 365 * DAY_MS + DAY_MS, // five years of daily series (one leap day)
};

/** The sitrep amendment window: events this late still count; seen ids are kept this long. */
export const DEFAULT_GRACE_MS = 14 * DAY_MS;

/**
 * How much of each partition's change log Redis keeps: about `maxLength` entries (trimmed whole
 * stream nodes at a time, so up to ~100 more), and none older than `maxAgeMs` by Redis's clock.
 * A reader whose cursor is older than what is kept gets CURSOR_EXPIRED.
 */
export interface ChangeLogRetention {
  maxLength: number;
  maxAgeMs: number;
}

export const DEFAULT_CHANGE_LOG: Readonly<ChangeLogRetention> = {
  maxLength: 10_000,
  maxAgeMs: 60 * 60_000,
};

export interface PartitionSpace {
  /** Key prefix (`KEY_PREFIX`), lets tests and tenants share a server. */
  prefix: string;
  /** The Kafka topic whose partitions the keys are tagged with. */
  topic: string;
}

export interface StoreOptions extends PartitionSpace {
  /** Counter key retention per bucket size; missing sizes take the defaults. */
  retention?: Partial<Retention>;
  /** Grace period in ms (default 14 days). */
  grace?: number;
  /**
   * The writer's clock minus Redis's real time, in ms (the aggregator's CLOCK_OFFSET_MS; default
   * 0). Key expiries are computed on the writer's clock (bucket end + retention) but Redis
   * compares them with its own: the store subtracts this, so a replayed past period keeps its
   * keys for their full retention instead of expiring on arrival.
   */
  clockOffsetMs?: number;
  /** Change-log retention; missing fields take DEFAULT_CHANGE_LOG's. */
  changeLog?: Partial<ChangeLogRetention>;
  /**
   * The reference data whose ICBs, regions and England the apply also keeps gauge state for
   * (scope-structure.ts), so a scope's gauges read in constant cost. Without it only the
   * per-trust state is kept and scope reads sum the trusts'.
   */
  refdata?: RefData;
}

export interface ResolvedStoreOptions extends PartitionSpace {
  retention: Retention;
  grace: number;
  clockOffsetMs: number;
  changeLog: ChangeLogRetention;
  /** Present when the options named reference data: the scopes gauge state is kept for. */
  scopes?: ScopeStructure;
}

export function resolveStoreOptions(options: StoreOptions): ResolvedStoreOptions {
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const grace = options.grace ?? DEFAULT_GRACE_MS;
  const clockOffsetMs = options.clockOffsetMs ?? 0;
  if (!options.prefix) throw new StoreError('BAD_OPTION', 'prefix must be a non-empty string');
  if (!options.topic) throw new StoreError('BAD_OPTION', 'topic must be a non-empty string');
  if (!(grace >= 0)) throw new StoreError('BAD_OPTION', `grace must be >= 0 ms, got ${grace}`);
  for (const [size, ms] of Object.entries(retention)) {
    if (!(ms > 0))
      throw new StoreError('BAD_OPTION', `retention ${size} must be > 0 ms, got ${ms}`);
  }
  if (!Number.isSafeInteger(clockOffsetMs)) {
    throw new StoreError(
      'BAD_OPTION',
      `clockOffsetMs must be an integer (ms), got ${clockOffsetMs}`,
    );
  }
  const changeLog = { ...DEFAULT_CHANGE_LOG, ...options.changeLog };
  for (const [name, value] of Object.entries(changeLog)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new StoreError(
        'BAD_OPTION',
        `changeLog.${name} must be a positive integer, got ${value}`,
      );
    }
  }
  if (retention['15m'] < grace) {
    throw new StoreError('BAD_OPTION', '15m retention must outlive the grace period');
  }
  return {
    prefix: options.prefix,
    topic: options.topic,
    retention,
    grace,
    clockOffsetMs,
    changeLog,
    ...(options.refdata && { scopes: scopeStructureOf(options.refdata) }),
  };
}
