import { describe, expect, it } from 'vitest';
import { createSnapshotCache, type CachedSnapshot } from '../src/snapshot-cache.js';
import { AS_OF, get, iso, testApp, TRUST } from './helpers.js';

const entry = (etag: string) => ({ snapshot: {}, etag }) as unknown as CachedSnapshot;

describe('snapshot cache', () => {
  it('snapshot cache should share one read between requests within the TTL, then read again', async () => {
    let clock = 0;
    let reads = 0;
    const cache = createSnapshotCache(1_000, () => clock);
    const read = async () => entry(`r${++reads}`);
    const [a, b] = await Promise.all([cache.get('e', read), cache.get('e', read)]);
    expect([a.etag, b.etag, reads]).toEqual(['r1', 'r1', 1]);
    clock = 999;
    expect((await cache.get('e', read)).etag).toBe('r1');
    expect((await cache.get('other', read)).etag).toBe('r2');
    clock = 1_000;
    expect((await cache.get('e', read)).etag).toBe('r3');
  });

  it('snapshot cache should drop expired entries, so past London days do not pile up', async () => {
    let clock = 0;
    const cache = createSnapshotCache(1_000, () => clock);
    const read = async () => entry('r');
    for (const code of ['RXN', 'RAJ', 'QE1']) await cache.get(`trust:${code}:2026-04-01`, read);
    expect(cache.size).toBe(3);
    // The next day: the first miss sweeps yesterday's keys, which no request can hit any more.
    clock = 86_400_000;
    await cache.get('trust:RXN:2026-04-02', read);
    expect(cache.size).toBe(1);
    // Within the TTL an entry is kept and served.
    clock += 999;
    await cache.get('trust:RAJ:2026-04-02', read);
    expect(cache.size).toBe(2);
  });

  it('snapshot cache should not keep a failed read', async () => {
    const cache = createSnapshotCache(1_000, () => 0);
    await expect(cache.get('e', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect((await cache.get('e', async () => entry('ok'))).etag).toBe('ok');
  });

  it('snapshot cache should read every time when the TTL is 0', async () => {
    let reads = 0;
    const cache = createSnapshotCache(0, () => 0);
    await cache.get('e', async () => entry(`r${++reads}`));
    await cache.get('e', async () => entry(`r${++reads}`));
    expect(reads).toBe(2);
  });

  it('snapshots should reuse a "now" snapshot within SNAPSHOT_CACHE_MS but not one with asOf', async () => {
    const t = await testApp({ snapshotCacheMs: 60_000 });
    const arrival = { at: AS_OF - 60_000, counters: [{ figure: 'ed_attendances' as const }] };
    await t.apply([arrival]);
    const url = `/v1/trusts/${TRUST}/snapshot`;
    const attendances = async (u: string) =>
      (await get(t, u)).json().today.counters.ed_attendances.total;
    expect(await attendances(url)).toBe(1);
    await t.apply([arrival]);
    expect(await attendances(url)).toBe(1);
    expect(await attendances(`${url}?asOf=${encodeURIComponent(iso(AS_OF))}`)).toBe(2);
  });
});
