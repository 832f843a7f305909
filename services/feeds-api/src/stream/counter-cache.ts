// The push feed reads each changed scope's snapshot once per cycle. Most of that read is counter
// hashes (today's 1d bucket and the last hour's four 15m buckets, one hash per partition each),
// which move only when a change of the log names their bucket: the change log lists, per scope,
// every bucket whose figures or coverage an apply changed (@pulse/store's change log). So the
// feed keeps each scope's last counters per bucket list and reads them again only once a change
// has named one of those buckets since the read began (a change read while the read runs counts:
// the value is used for that snapshot, not kept). Live gauges, freshness and completeness move
// with the clock as well, so they are read every time.
//
// Correct as long as it is told of every change before a cycle claims it (the hub calls
// `changed` from its follower before moving its head) and cleared whenever the follower may have
// skipped changes.
import { scopeKey, type BucketSize, type CounterFigures, type Scope } from '@pulse/kpi';
import type { FiguresSource } from '../ports.js';

/** Bucket lists kept per scope: today's and the last hour's, and the ones they roll into. */
const LISTS_PER_SCOPE = 4;

interface Entry {
  /** `<size>:<id>` of every bucket summed, as the change log names buckets. */
  buckets: ReadonlySet<string>;
  /** Undefined while the read runs. */
  value: CounterFigures | undefined;
  /** False once a change named one of its buckets (or the scope, without detail). */
  valid: boolean;
}

export interface CounterCache {
  /** The figures port, its `counters` answered from the cache while still valid. */
  readonly figures: FiguresSource;
  /**
   * A change of the scope: the buckets it named (`<size>:<id>`), or undefined when it does not
   * say (every counter of the scope is read again).
   */
  changed(scopeKey: string, buckets: readonly string[] | undefined): void;
  /** Changes may have been missed: read everything again. */
  clear(): void;
}

export function counterCache(figures: FiguresSource): CounterCache {
  const scopes = new Map<string, Map<string, Entry>>();

  const drop = (entries: Map<string, Entry>) => {
    for (const entry of entries.values()) entry.valid = false;
  };

  async function counters(
    scope: Scope,
    size: BucketSize,
    bucketIds: readonly string[],
  ): Promise<CounterFigures> {
    const key = scopeKey(scope);
    const list = `${size}:${bucketIds.join(',')}`;
    let entries = scopes.get(key);
    const hit = entries?.get(list);
    if (hit?.valid && hit.value) return hit.value;
    if (!entries) {
      entries = new Map();
      scopes.set(key, entries);
    }
    const entry: Entry = {
      buckets: new Set(bucketIds.map((id) => `${size}:${id}`)),
      value: undefined,
      valid: true,
    };
    // The newest last; the oldest list is forgotten first.
    entries.delete(list);
    entries.set(list, entry);
    while (entries.size > LISTS_PER_SCOPE) entries.delete(entries.keys().next().value!);
    let value: CounterFigures;
    try {
      value = await figures.counters(scope, size, bucketIds);
    } catch (err) {
      if (entries.get(list) === entry) entries.delete(list);
      throw err;
    }
    if (entry.valid) entry.value = value;
    else if (entries.get(list) === entry) entries.delete(list);
    return value;
  }

  return {
    figures: { ...figures, counters },
    changed(key, buckets) {
      const entries = scopes.get(key);
      if (!entries) return;
      if (buckets === undefined) {
        drop(entries);
        scopes.delete(key);
        return;
      }
      for (const entry of entries.values())
        if (entry.valid && buckets.some((bucket) => entry.buckets.has(bucket))) entry.valid = false;
    },
    clear() {
      for (const entries of scopes.values()) drop(entries);
      scopes.clear();
    },
  };
}
