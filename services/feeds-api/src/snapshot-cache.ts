// A short-lived cache of "now" snapshots per scope and London day, with request coalescing: all
// requests for one scope within `ttlMs` share one read. An England snapshot sums the live state
// of ~200 trusts over 12 partitions (thousands of Redis commands), so under load this turns the
// cost per request into a cost per scope per `ttlMs`. Snapshots for an explicit `asOf` are not
// cached. Keys carry the London date, so each day brings a new set of keys: entries older than
// the TTL (never served again) are dropped at most once per TTL, which bounds the map to the
// scopes requested in the last two TTLs, and a past day's entries go with the first sweep.
import type { Snapshot } from './schemas/snapshot.js';

export interface CachedSnapshot {
  snapshot: Snapshot;
  etag: string;
}

export interface SnapshotCache {
  /** The entry for `key` if younger than the TTL (or still being read), else `read()`'s. */
  get(key: string, read: () => Promise<CachedSnapshot>): Promise<CachedSnapshot>;
  /** Entries held, expired ones not yet dropped included. */
  readonly size: number;
}

export function createSnapshotCache(ttlMs: number, now: () => number): SnapshotCache {
  const entries = new Map<string, { at: number; value: Promise<CachedSnapshot> }>();
  let sweptAt = -Infinity;
  /** Drops the entries no request can hit any more (a hit needs an entry younger than the TTL). */
  const sweep = (at: number) => {
    if (at - sweptAt < ttlMs) return;
    sweptAt = at;
    for (const [key, entry] of entries) if (at - entry.at >= ttlMs) entries.delete(key);
  };
  return {
    get(key, read) {
      if (ttlMs <= 0) return read();
      const at = now();
      const hit = entries.get(key);
      if (hit && at - hit.at < ttlMs) return hit.value;
      sweep(at);
      const value = read();
      entries.set(key, { at, value });
      // A failed read is not kept: the next request tries again.
      value.catch(() => entries.get(key)?.value === value && entries.delete(key));
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}
