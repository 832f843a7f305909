// The push feed against the real store: figures and change-log entries written by the store's
// plan + apply (as the aggregator writes them) on the test run's Redis, read back through
// changeLogFromStore. A cursor from one API resumes on another; the changes route pages them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { changeLogFromStore } from '../../src/stream/store-change-log.js';
import { get, testApp, ICB, PARTITIONS, T0, TOPIC, TRUST } from '../helpers.js';
import { openStream, type ClientEvent, type StreamClient } from './sse-client.js';

const WAIT = { timeout: 20_000, interval: 20 };
const STREAM = { coalesceMs: 50, pollMs: 10 };
const clients: StreamClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

const listed = (events: ClientEvent[]) =>
  events.filter((e) => e.event === 'update').flatMap((e) => e.data.changes as string[]);
const storeLog = (redis: Parameters<typeof changeLogFromStore>[0], prefix: string) =>
  changeLogFromStore(redis, { prefix, topic: TOPIC, partitions: PARTITIONS });

describe('stream on the store', () => {
  it('stream should follow the store’s change log and resume on another API exactly', async () => {
    const a = await testApp({ stream: STREAM }, undefined, {
      deps: (redis, prefix) => ({ changeLog: storeLog(redis, prefix) }),
    });
    const b = await testApp({ stream: STREAM }, undefined, {
      prefix: a.prefix,
      deps: (redis, prefix) => ({ changeLog: storeLog(redis, prefix) }),
    });
    const [baseA, baseB] = [
      await a.app.listen({ port: 0, host: '127.0.0.1' }),
      await b.app.listen({ port: 0, host: '127.0.0.1' }),
    ];
    const client = openStream(baseA, `/v1/icbs/${ICB}/stream`);
    clients.push(client);
    await vi.waitFor(() => expect(client.named('snapshot')).toHaveLength(1), WAIT);
    const start = client.named('snapshot')[0]!.lastEventId;
    expect(start).toMatch(/^c1\./);

    const attend = () => a.apply([{ at: T0, counters: [{ figure: 'ed_attendances' }] }]);
    for (let i = 0; i < 3; i += 1) await attend();
    await vi.waitFor(() => expect(listed(client.events)).toHaveLength(3), WAIT);
    client.target.base = baseB;
    await a.app.close();
    for (let i = 0; i < 2; i += 1) await attend();
    await vi.waitFor(() => expect(listed(client.events)).toHaveLength(5), WAIT);
    expect(client.named('snapshot')).toHaveLength(1);
    const last = client.named('update').at(-1)!.data as {
      today: { counters: { ed_attendances: { total: number } } };
    };
    expect(last.today.counters.ed_attendances.total).toBe(5);

    // The changes route lists the same five entries, with the buckets they changed.
    const page = (await get(b, `/v1/trusts/${TRUST}/changes?since=${start}`)).json() as {
      changes: { id: string; buckets: string[]; gauges: boolean }[];
      more: boolean;
    };
    expect(page.changes.map((c) => c.id)).toEqual(listed(client.events));
    expect(page.changes[0]!.buckets).toContain(`15m:${Math.floor(T0 / 900_000) * 900_000}`);
    expect(page.more).toBe(false);
    const malformed = await get(b, `/v1/england/changes?since=c1.zz`);
    expect(malformed.statusCode).toBe(400);
  });
});
