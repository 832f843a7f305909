// A short-lived cache of "now" snapshots per scope and London day, with request coalescing: all
// requests for one scope within `ttlMs` share one read. An England snapshot sums the live state
// of ~200 trusts over 12 partitions (thousands of Redis commands), so under load this turns the
// cost per request into a cost per scope per `ttlMs`. Snapshots for an explicit `asOf` are not
// cached. Entries are bounded by the scopes in force (codes are checked before the cache is used).
import type { Snapshot } from './schemas/snapshot.js';

export interface CachedSnapshot {
  snapshot: Snapshot;
  etag: string;
}

export interface SnapshotCache {
  /** The entry for `key` if younger than the TTL (or still being read), else `read()`'s. */
  get(key: string, read: () => Promise<CachedSnapshot>): Promise<CachedSnapshot>;
}

export function createSnapshotCache(ttlMs: number, now: () => number): SnapshotCache {
  const entries = new Map<string, { at: number; value: Promise<CachedSnapshot> }>();
  return {
    get(key, read) {
      if (ttlMs <= 0) return read();
      const at = now();
      const hit = entries.get(key);
      if (hit && at - hit.at < ttlMs) return hit.value;
      const value = read();
      entries.set(key, { at, value });
      // A failed read is not kept: the next request tries again.
      value.catch(() => entries.get(key)?.value === value && entries.delete(key));
      return value;
    },
  };
}
