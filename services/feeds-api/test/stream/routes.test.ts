import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { changeId } from '../../src/stream/change-log.js';
import { createStreamLimiter } from '../../src/stream-limiter.js';
import {
  devToken,
  get,
  nationalAuth,
  testApp,
  ICB,
  REGION,
  T0,
  TRUST,
  type TestApp,
} from '../helpers.js';
import { memoryLog, type MemoryLog } from './memory-log.js';
import { openStream, type ClientEvent, type StreamClient } from './sse-client.js';

const WAIT = { timeout: 15_000, interval: 10 };
const SCOPES = ['e', `r:${REGION}`, `i:${ICB}`, `t:${TRUST}`];
const clients: StreamClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function streamingApp(
  log: MemoryLog,
  stream = {},
  prefix?: string,
): Promise<{ t: TestApp; base: string }> {
  const t = await testApp(
    { stream: { coalesceMs: 50, pollMs: 10, heartbeatMs: 1_000, ...stream } },
    undefined,
    { deps: () => ({ changeLog: log }), ...(prefix ? { prefix } : {}) },
  );
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, base };
}

function open(base: string, path: string, headers?: Record<string, string>): StreamClient {
  const client = openStream(base, path, headers);
  clients.push(client);
  return client;
}

async function conforms(t: TestApp, url: string, events: ClientEvent[]): Promise<void> {
  const checker = await t.checker();
  for (const { event, lastEventId, data } of events) {
    const id = event === 'snapshot' || event === 'update' ? lastEventId : undefined;
    expect(
      checker.checkEvent({ url, event, id, data }),
      `${event} ${JSON.stringify(data).slice(0, 200)}`,
    ).toEqual([]);
  }
}

const listed = (events: ClientEvent[]) =>
  events.filter((e) => e.event === 'update').flatMap((e) => e.data.changes as string[]);

describe('stream routes', () => {
  it('stream route should send a snapshot, then updates with the figures, as documented', async () => {
    const log = memoryLog();
    const { t, base } = await streamingApp(log);
    await t.apply([{ at: T0, counters: [{ figure: 'ed_attendances' }] }]);
    const url = `/v1/trusts/${TRUST}/stream`;
    const client = open(base, url);
    await vi.waitFor(() => expect(client.named('snapshot')).toHaveLength(1), WAIT);
    const snapshot = client.named('snapshot')[0]!;
    const pulled = (await get(t, `/v1/trusts/${TRUST}/snapshot`)).json();
    expect(snapshot.data).toEqual({ ...pulled, cursor: snapshot.lastEventId });

    await t.apply([{ at: T0, counters: [{ figure: 'ed_attendances', by: 2 }] }]);
    const change = log.apply(1, SCOPES);
    await vi.waitFor(() => expect(client.named('update')).toHaveLength(1), WAIT);
    const update = client.named('update')[0]!;
    expect(update.data.changes).toEqual([changeId(change)]);
    expect(update.data.cursor).toBe(update.lastEventId);
    expect(update.data.today).toMatchObject({ counters: { ed_attendances: { total: 3 } } });
    await vi.waitFor(() => expect(client.named('heartbeat').length).toBeGreaterThan(0), WAIT);
    await conforms(t, url, client.events);
    expect(client.events[0]!.event).toBe('snapshot');
  });

  it('stream route should narrow figures, refuse bad ones and unknown scopes, never compress', async () => {
    const { t, base } = await streamingApp(memoryLog());
    const url = '/v1/england/stream?figures=ed_in_department,ed_attendances,ga_occupancy_pct';
    const client = open(base, url);
    await vi.waitFor(() => expect(client.named('snapshot')).toHaveLength(1), WAIT);
    const { data } = client.named('snapshot')[0]!;
    expect(Object.keys((data.live as { gauges: object }).gauges)).toEqual(['ed_in_department']);
    expect(Object.keys((data.today as { counters: object }).counters)).toEqual(['ed_attendances']);
    expect(data.live).toHaveProperty('ga_occupancy_pct');
    expect(data.live).toHaveProperty('beds', {});
    await conforms(t, url, client.events);

    const bad = await fetch(`${base}/v1/england/stream?figures=beds`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await bad.json()) as { errors: { name: string }[] }).errors[0]!.name).toBe('figures');
    const unknown = await fetch(`${base}/v1/trusts/ZZZ99/stream`);
    expect(unknown.status).toBe(404);
    await unknown.body?.cancel();

    // The public tier has England's stream only: updates carry exact figures.
    const publicTrust = await fetch(`${base}/v1/trusts/${TRUST}/stream`);
    expect(publicTrust.status).toBe(403);
    expect(publicTrust.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await publicTrust.body?.cancel();

    const controller = new AbortController();
    const raw = await fetch(`${base}/v1/regions/${REGION}/stream`, {
      headers: { 'accept-encoding': 'gzip, br', authorization: await nationalAuth() },
      signal: controller.signal,
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(raw.headers.get('content-encoding')).toBeNull();
    expect(raw.headers.get('cache-control')).toBe('no-cache');
    controller.abort();
  });

  it('stream route should refuse streams beyond the per-client and total limits', async () => {
    const { t, base } = await streamingApp(memoryLog(), { maxPerClient: 2, maxConnections: 3 });
    const first = [open(base, '/v1/england/stream'), open(base, '/v1/england/stream')];
    await vi.waitFor(
      () => expect(first.every((c) => c.named('snapshot').length === 1)).toBe(true),
      WAIT,
    );
    // Counted per client: the token's subject (open() sends a national token).
    const headers = { authorization: await nationalAuth() };
    const third = await fetch(`${base}/v1/england/stream`, { headers });
    expect(third.status).toBe(429);
    expect(((await third.json()) as { code: string }).code).toBe('TOO_MANY_STREAMS');
    const metrics = (
      await get(t, '/metrics', { authorization: `Bearer ${await devToken({ role: 'operator' })}` })
    ).body;
    expect(metrics).toMatch(/feeds_api_stream_subscribers\{kind="england"\} 2/);
    expect(metrics).toMatch(/feeds_api_stream_refused_total\{limit="per-client"\} 1/);
    first[0]!.close();
    await vi.waitFor(async () => {
      const again = await fetch(`${base}/v1/england/stream`, {
        headers,
        signal: AbortSignal.timeout(2_000),
      }).catch(() => undefined);
      await again?.body?.cancel();
      expect(again?.status).toBe(200);
    }, WAIT);
  });

  it('streams per client should be limited over two APIs sharing Redis, freed on close and lease expiry', async () => {
    const log = memoryLog();
    const limits = { maxPerClient: 2, leaseMs: 3_000 };
    const a = await streamingApp(log, limits);
    const b = await streamingApp(log, limits, a.t.prefix);
    const url = '/v1/england/stream';
    const held: AbortController[] = [];
    onTestFinished(() => held.forEach((c) => c.abort()));
    /** Opens a stream as `authorization`'s subject; keeps it open if it was served. */
    const attempt = async (base: string, authorization: string) => {
      const controller = new AbortController();
      const res = await fetch(`${base}${url}`, {
        headers: { authorization },
        signal: controller.signal,
      });
      if (res.status === 200) held.push(controller);
      const code = res.status === 200 ? undefined : ((await res.json()) as { code: string }).code;
      return { status: res.status, retryAfter: res.headers.get('retry-after'), code };
    };
    // open() sends the national token of subject `test`: one client, one stream on each API.
    const one = open(a.base, url);
    const two = open(b.base, url);
    await vi.waitFor(
      () => expect([one, two].map((c) => c.named('snapshot').length)).toEqual([1, 1]),
      WAIT,
    );
    const test = await nationalAuth();
    for (const base of [a.base, b.base]) {
      const third = await attempt(base, test);
      expect(third.status).toBe(429);
      expect(third).toMatchObject({ retryAfter: '3', code: 'TOO_MANY_STREAMS' });
    }
    // Another token subject is another client.
    const other = `Bearer ${await devToken({ role: 'national', subject: 'other' })}`;
    expect((await attempt(b.base, other)).status).toBe(200);
    // Closing a stream on A frees its slot for B.
    one.close();
    await vi.waitFor(async () => expect((await attempt(b.base, test)).status).toBe(200), WAIT);
    // Slots left by a process that died (leased, never renewed nor released) expire.
    const dead = createStreamLimiter(a.t.redis, { prefix: `${a.t.prefix}:streams:`, ...limits });
    expect(await dead.acquire('sub:ghost', 'dead-1')).toBe(true);
    expect(await dead.acquire('sub:ghost', 'dead-2')).toBe(true);
    const ghost = `Bearer ${await devToken({ role: 'national', subject: 'ghost' })}`;
    expect((await attempt(a.base, ghost)).status).toBe(429);
    await vi.waitFor(async () => expect((await attempt(a.base, ghost)).status).toBe(200), WAIT);
    // Past a lease, the live streams' leases were renewed: still no third slot for `test`.
    expect(await dead.count('sub:test')).toBe(2);
    expect((await attempt(a.base, test)).status).toBe(429);
  });

  it('stream route should resume on another API with Last-Event-ID, no gap, no duplicate', async () => {
    const log = memoryLog();
    const a = await streamingApp(log);
    const b = await streamingApp(log);
    const url = `/v1/icbs/${ICB}/stream`;
    const client = open(a.base, url);
    await vi.waitFor(() => expect(client.named('snapshot')).toHaveLength(1), WAIT);
    const start = client.named('snapshot')[0]!.lastEventId;
    for (let i = 0; i < 10; i += 1) log.apply(i % 3, i % 2 ? SCOPES : ['e']);
    await vi.waitFor(() => expect(listed(client.events)).toHaveLength(5), WAIT);
    // A stops: it ends every stream with `disconnect`; the client reconnects, now to B.
    client.target.base = b.base;
    for (let i = 0; i < 4; i += 1) log.apply(i % 3, SCOPES);
    await a.t.app.close();
    for (let i = 0; i < 3; i += 1) log.apply(i % 3, SCOPES);
    await vi.waitFor(() => expect(listed(client.events)).toHaveLength(12), WAIT);
    expect(client.named('disconnect').map((e) => e.data.reason)).toEqual(['shutdown']);
    expect(client.named('snapshot')).toHaveLength(1);
    expect(client.requests.map((r) => [new URL(r.url).origin, r.lastEventId !== null])).toEqual([
      [a.base, false],
      [b.base, true],
    ]);
    const seen = listed(client.events);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(log.changesOf(`i:${ICB}`, start).map(changeId).sort());
    await conforms(b.t, url, client.events);
  });

  it('changes route should page through the changes of a scope after a cursor', async () => {
    const log = memoryLog();
    const { t } = await streamingApp(log);
    const head = (await get(t, `/v1/trusts/${TRUST}/changes`)).json() as {
      nextCursor: string;
      changes: [];
    };
    expect(head.changes).toEqual([]);
    const mine = [];
    for (let i = 0; i < 7; i += 1) {
      log.apply(i % 3, ['e']);
      mine.push(log.apply(i % 3, [`t:${TRUST}`, 'e']));
    }
    const pages: string[][] = [];
    let cursor = head.nextCursor;
    for (;;) {
      const page = (await get(t, `/v1/trusts/${TRUST}/changes?since=${cursor}&limit=3`)).json() as {
        changes: { id: string }[];
        nextCursor: string;
        more: boolean;
      };
      pages.push(page.changes.map((c) => c.id));
      cursor = page.nextCursor;
      if (!page.more) break;
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(mine.map(changeId));

    // The public tier gets England's change log, not a trust's: an entry tells a suppressed
    // count from zero.
    const anonymous = { authorization: '' };
    expect((await get(t, `/v1/england/changes`, anonymous)).statusCode).toBe(200);
    const refused = await get(t, `/v1/trusts/${TRUST}/changes?since=${cursor}`, anonymous);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('FORBIDDEN');

    const malformed = await get(t, `/v1/england/changes?since=nope`);
    expect(malformed.statusCode).toBe(400);
    log.trim(0, 3);
    const expired = await get(t, `/v1/england/changes?since=${head.nextCursor}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ code: 'CURSOR_EXPIRED' });
  });

  it('stream and changes routes should answer 503 without a change log', async () => {
    const t = await testApp();
    expect((await get(t, '/v1/england/changes')).statusCode).toBe(503);
    const res = await t.app.inject({ method: 'GET', url: '/v1/england/stream' });
    expect(res.statusCode).toBe(503);
  });
});
