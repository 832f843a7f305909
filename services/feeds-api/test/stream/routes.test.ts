import { connect } from 'node:net';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { AppConfig } from '../../src/app.js';
import { PUBLIC_TIER_CONTROL } from '../../src/disclosure.js';
import type { AppDeps } from '../../src/ports.js';
import type { TreeControl } from '../../src/public-trees.js';
import { changeId } from '../../src/stream/change-log.js';
import { createStreamLimiter } from '../../src/stream-limiter.js';
import {
  AS_OF,
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
  more: Pick<AppConfig, 'publicTier'> & { deps?: Partial<AppDeps>; workers?: boolean } = {},
): Promise<{ t: TestApp; base: string }> {
  const t = await testApp(
    {
      stream: { coalesceMs: 50, pollMs: 10, heartbeatMs: 1_000, ...stream },
      ...(more.publicTier ? { publicTier: more.publicTier } : {}),
    },
    undefined,
    {
      deps: () => ({ changeLog: log, ...more.deps }),
      ...(prefix ? { prefix } : {}),
      ...(more.workers ? { workers: true } : {}),
    },
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

/** A stream read off a bare socket, bytes as sent. */
function rawStream(port: number, version: 'HTTP/1.0' | 'HTTP/1.1') {
  const socket = connect(port, '127.0.0.1');
  onTestFinished(() => void socket.destroy());
  socket.write(
    `GET /v1/england/stream ${version}\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
  );
  const parts: Buffer[] = [];
  socket.on('data', (part: Buffer) => parts.push(part));
  const text = () => Buffer.concat(parts).toString('latin1');
  return {
    text,
    head: () => text().slice(0, text().indexOf('\r\n\r\n')),
    body: () => text().slice(text().indexOf('\r\n\r\n') + 4),
  };
}

/** A chunked body decoded strictly: every size line and every chunk's closing CRLF in place. */
function dechunk(body: string): string {
  let out = '';
  let at = 0;
  while (at < body.length) {
    const line = body.indexOf('\r\n', at);
    expect(body.slice(at, line)).toMatch(/^[0-9a-f]+$/);
    const size = Number.parseInt(body.slice(at, line), 16);
    const start = line + 2;
    if (start + size + 2 > body.length) break; // the chunk still arriving
    expect(body.slice(start + size, start + size + 2)).toBe('\r\n');
    out += body.slice(start, start + size);
    at = start + size + 2;
  }
  return Buffer.from(out, 'latin1').toString('utf8');
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

    // Without a token, a trust's stream is the public, disclosure-controlled one.
    const publicTrust = await fetch(`${base}/v1/trusts/${TRUST}/stream`);
    expect(publicTrust.status).toBe(200);
    expect(publicTrust.headers.get('disclosure')).toBe('controlled');
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
    expect(metrics).toMatch(/feeds_api_stream_subscribers\{kind="england",disclosure="exact"\} 2/);
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

  it('stream route should hold the total limit when streams arrive together', async () => {
    const { t, base } = await streamingApp(memoryLog(), { maxPerClient: 20, maxConnections: 3 });
    const headers = { authorization: await nationalAuth() };
    const controller = new AbortController();
    onTestFinished(() => controller.abort());
    // Each stream waits for its slot in Redis after the total limit's check.
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${base}/v1/england/stream`, { headers, signal: controller.signal }).then(
          (res) => res.status,
        ),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 503)).toHaveLength(5);
    const metrics = (
      await get(t, '/metrics', { authorization: `Bearer ${await devToken({ role: 'operator' })}` })
    ).body;
    expect(metrics).toMatch(/feeds_api_stream_refused_total\{limit="total"\} 5/);
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

  it('stream route should frame every event as an HTTP/1.1 chunk, and HTTP/1.0 as a plain body', async () => {
    const log = memoryLog();
    const { t, base } = await streamingApp(log);
    const { port } = new URL(base);
    const h11 = rawStream(Number(port), 'HTTP/1.1');
    await vi.waitFor(() => expect(h11.text()).toContain('event: snapshot'), WAIT);
    // Written after the head and the first frames: straight to the socket (response-connection.ts).
    for (let i = 0; i < 3; i += 1) {
      await t.apply([{ at: T0, counters: [{ figure: 'ed_attendances' }] }]);
      log.apply(i, ['e']);
      await vi.waitFor(() => expect(h11.text().split('event: update')).toHaveLength(i + 2), WAIT);
    }
    expect(h11.head()).toMatch(/^HTTP\/1\.1 200 [^]*\r\ntransfer-encoding: chunked(\r\n|$)/i);
    const body = dechunk(h11.body());
    expect(body.startsWith('retry: ')).toBe(true);
    const updates = body.split('\n\n').filter((block) => block.includes('event: update'));
    expect(updates.map((block) => JSON.parse(block.split('data: ')[1]!).today.counters)).toEqual(
      [1, 2, 3].map((total) =>
        expect.objectContaining({ ed_attendances: expect.objectContaining({ total }) }),
      ),
    );

    const h10 = rawStream(Number(port), 'HTTP/1.0');
    await vi.waitFor(() => expect(h10.text()).toContain('event: snapshot'), WAIT);
    await t.apply([{ at: T0, counters: [{ figure: 'ed_attendances' }] }]);
    log.apply(0, ['e']);
    await vi.waitFor(() => expect(h10.text()).toContain('event: update'), WAIT);
    expect(h10.head()).not.toMatch(/transfer-encoding/i);
    expect(h10.head()).toMatch(/\r\nconnection: close(\r\n|$)/i);
    expect(h11.head()).toMatch(/\r\nconnection: keep-alive(\r\n|$)/i);
    expect(h10.body().startsWith('retry: ')).toBe(true);
    expect(h10.body()).toMatch(/"ed_attendances":\{[^}]*"total":4\}/);
  });

  it('stream and changes routes should answer 503 without a change log', async () => {
    const t = await testApp();
    expect((await get(t, '/v1/england/changes')).statusCode).toBe(503);
    const res = await t.app.inject({ method: 'GET', url: '/v1/england/stream' });
    expect(res.statusCode).toBe(503);
  });
});

describe('public stream routes (no token, below national level)', () => {
  const MIN = 60_000;
  const TICK = 1_000;
  const NO_TOKEN = { authorization: '' };
  const trustUrl = `/v1/trusts/${TRUST}/stream`;

  /** An app whose clock the test moves, counting the public tier's snapshot tree builds. */
  async function publicApp(more: { maxBuilds?: number; workers?: boolean } = {}) {
    const clock = { now: AS_OF };
    const counted = { builds: 0 };
    const counting: TreeControl = {
      snapshotTree: (tree) => (counted.builds++, PUBLIC_TIER_CONTROL.snapshotTree(tree)),
      seriesTree: (tree) => PUBLIC_TIER_CONTROL.seriesTree(tree),
    };
    const { t, base } = await streamingApp(memoryLog(), { heartbeatMs: 200 }, undefined, {
      publicTier: { tickMs: TICK, ...(more.maxBuilds ? { maxBuilds: more.maxBuilds } : {}) },
      deps: { now: () => clock.now, ...(more.workers ? {} : { disclosure: counting }) },
      ...(more.workers ? { workers: true } : {}),
    });
    return { t, base, clock, counted };
  }

  /** The public snapshot route's body now. */
  const pulled = async (t: TestApp, scope = `/v1/trusts/${TRUST}`) =>
    (await get(t, `${scope}/snapshot`, NO_TOKEN)).json() as Record<string, unknown>;

  /** The public tier's newest tree is of the clock's tick (its subscribers were sent it). */
  const built = (t: TestApp, clock: { now: number }) =>
    vi.waitFor(
      () => expect(t.app.pulse.publicTier.latest()?.tick).toBe(Math.floor(clock.now / TICK)),
      WAIT,
    );

  const figures = (e: ClientEvent | undefined) =>
    (e?.data.today as { counters: Record<string, Record<string, number | null>> }).counters;

  it('public stream should send the public snapshot route’s controlled body, never a small count', async () => {
    const { t, base } = await publicApp();
    await t.apply([
      { at: AS_OF - MIN, counters: [{ figure: 'ed_attendances', by: 40 }] },
      { at: AS_OF - MIN, counters: [{ figure: 'discharges_hospice', group: 'child', by: 2 }] },
    ]);
    const client = open(base, trustUrl, NO_TOKEN);
    const icb = open(base, `/v1/icbs/${ICB}/stream?figures=discharges_hospice`, NO_TOKEN);
    const exact = open(base, trustUrl);
    await vi.waitFor(
      () => expect([client, icb, exact].map((c) => c.named('snapshot').length)).toEqual([1, 1, 1]),
      WAIT,
    );
    const snapshot = client.named('snapshot')[0]!;
    expect(snapshot.lastEventId).toMatch(/^tick:\d+:[\w-]+$/);
    expect(snapshot.data).toEqual({ ...(await pulled(t)), cursor: snapshot.lastEventId });
    // The small count is suppressed on the stream as on the route; the exact stream has it.
    expect(snapshot.data.disclosure).toBe('controlled');
    expect(figures(snapshot).discharges_hospice!.child).toBeNull();
    expect(snapshot.data.suppressed).toContainEqual({
      path: '/today/counters/discharges_hospice/child',
      reason: 'suppressed',
    });
    expect(figures(snapshot).ed_attendances!.adult).toBe(40);
    expect(figures(exact.named('snapshot')[0]).discharges_hospice!.child).toBe(2);
    const narrowed = icb.named('snapshot')[0]!;
    expect(Object.keys(figures(narrowed))).toEqual(['discharges_hospice']);
    expect(figures(narrowed).discharges_hospice!.child).toBeNull();
    const suppressed = narrowed.data.suppressed as { path: string }[];
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.filter((s) => !s.path.includes('/discharges_hospice'))).toEqual([]);
    // Heartbeats name the newest body's cursor (null before the first).
    await vi.waitFor(
      () => expect(client.named('heartbeat').at(-1)?.data.head).toBe(snapshot.lastEventId),
      WAIT,
    );
    await conforms(t, trustUrl, client.events);
    await conforms(t, `/v1/icbs/${ICB}/stream`, icb.events);

    const metrics = (
      await get(t, '/metrics', { authorization: `Bearer ${await devToken({ role: 'operator' })}` })
    ).body;
    expect(metrics).toMatch(
      /feeds_api_stream_subscribers\{kind="trust",disclosure="controlled"\} 1/,
    );
    expect(metrics).toMatch(/feeds_api_stream_subscribers\{kind="icb",disclosure="controlled"\} 1/);
    expect(metrics).toMatch(/feeds_api_stream_subscribers\{kind="trust",disclosure="exact"\} 1/);
  });

  it('public stream should send an update once a tick’s tree has a changed body, one build per tick', async () => {
    const { t, base, clock, counted } = await publicApp();
    await t.apply([{ at: AS_OF - MIN, counters: [{ figure: 'ed_attendances', by: 40 }] }]);
    const clients = [open(base, trustUrl, NO_TOKEN), open(base, trustUrl, NO_TOKEN)];
    const icb = open(base, `/v1/icbs/${ICB}/stream`, NO_TOKEN);
    await vi.waitFor(
      () => expect([...clients, icb].every((c) => c.named('snapshot').length === 1)).toBe(true),
      WAIT,
    );
    expect(counted.builds).toBe(1);

    // A tick with nothing changed: a tree is built, no update is sent. Its heartbeat names the new
    // tick, and frames arrive in order: an update would have come first.
    clock.now += TICK;
    await built(t, clock);
    const tick = Math.floor(clock.now / TICK);
    await vi.waitFor(
      () =>
        expect(clients[0]!.named('heartbeat').at(-1)?.data.head).toMatch(
          new RegExp(`^tick:${tick}:`),
        ),
      WAIT,
    );
    expect(clients[0]!.named('update')).toEqual([]);
    expect(counted.builds).toBe(2);

    // Figures change: nothing is sent until the next tick's tree; then one update each.
    await t.apply([{ at: AS_OF - MIN, counters: [{ figure: 'ed_attendances', by: 25 }] }]);
    clock.now += TICK;
    await vi.waitFor(
      () => expect([...clients, icb].map((c) => c.named('update').length)).toEqual([1, 1, 1]),
      WAIT,
    );
    expect(counted.builds).toBe(3);
    const update = clients[0]!.named('update')[0]!;
    expect(update.lastEventId).toMatch(new RegExp(`^tick:${tick + 1}:`));
    expect(update.data).toEqual({ ...(await pulled(t)), cursor: update.lastEventId });
    expect(figures(update).ed_attendances!.adult).toBe(65);
    expect(update.data).not.toHaveProperty('changes');
    expect(clients[1]!.named('update')[0]!.data).toEqual(update.data);
    const icbUpdate = icb.named('update')[0]!;
    expect(icbUpdate.data).toEqual({
      ...(await pulled(t, `/v1/icbs/${ICB}`)),
      cursor: icbUpdate.lastEventId,
    });
    for (const client of clients) await conforms(t, trustUrl, client.events);
    await conforms(t, `/v1/icbs/${ICB}/stream`, icb.events);
  });

  it('public stream should resume with a public cursor: the current body if it changed, else nothing', async () => {
    const { t, base, clock } = await publicApp();
    await t.apply([{ at: AS_OF - MIN, counters: [{ figure: 'ed_attendances', by: 40 }] }]);
    const first = open(base, trustUrl, NO_TOKEN);
    await vi.waitFor(() => expect(first.named('snapshot')).toHaveLength(1), WAIT);
    const cursor = first.named('snapshot')[0]!.lastEventId;
    first.close();

    // Nothing changed: heartbeats only.
    const same = open(base, trustUrl, { ...NO_TOKEN, 'last-event-id': cursor });
    await vi.waitFor(() => expect(same.named('heartbeat').length).toBeGreaterThan(0), WAIT);
    expect(same.events.filter((e) => e.event !== 'heartbeat')).toEqual([]);
    same.close();

    // Changed since the cursor's tick: one update with the current body, no snapshot.
    await t.apply([{ at: AS_OF - MIN, counters: [{ figure: 'ed_attendances', by: 25 }] }]);
    clock.now += TICK;
    await get(t, `/v1/trusts/${TRUST}/snapshot`, NO_TOKEN);
    await built(t, clock);
    const resumed = open(base, trustUrl, { ...NO_TOKEN, 'last-event-id': cursor });
    await vi.waitFor(() => expect(resumed.named('update')).toHaveLength(1), WAIT);
    await vi.waitFor(() => expect(resumed.named('heartbeat').length).toBeGreaterThan(0), WAIT);
    expect(resumed.events.filter((e) => e.event !== 'heartbeat').map((e) => e.event)).toEqual([
      'update',
    ]);
    const update = resumed.named('update')[0]!;
    expect(update.data).toEqual({ ...(await pulled(t)), cursor: update.lastEventId });
    await conforms(t, trustUrl, resumed.events);

    // A change-log cursor (an exact stream's), or none at all: reset, then a fresh snapshot.
    const exact = open(base, trustUrl);
    await vi.waitFor(() => expect(exact.named('snapshot')).toHaveLength(1), WAIT);
    const logCursor = exact.named('snapshot')[0]!.lastEventId;
    const future = `tick:${Math.floor(clock.now / TICK) + 5}:${cursor.split(':')[2]}`;
    for (const bad of [logCursor, 'nope', future]) {
      const client = open(base, `${trustUrl}?since=${encodeURIComponent(bad)}`, NO_TOKEN);
      await vi.waitFor(() => expect(client.named('snapshot')).toHaveLength(1), WAIT);
      expect(client.events.map((e) => e.event).slice(0, 2), bad).toEqual(['reset', 'snapshot']);
      expect(client.named('reset')[0]!.data.reason).toBe('cursor-malformed');
      expect(client.named('snapshot')[0]!.data).toEqual({
        ...(await pulled(t)),
        cursor: client.named('snapshot')[0]!.lastEventId,
      });
      await conforms(t, trustUrl, client.events);
    }
    // A public cursor on an exact stream is not a change-log cursor either.
    const crossed = open(base, trustUrl, { 'last-event-id': cursor });
    await vi.waitFor(() => expect(crossed.named('snapshot')).toHaveLength(1), WAIT);
    expect(crossed.events.map((e) => e.event).slice(0, 2)).toEqual(['reset', 'snapshot']);
  });

  it('public stream should get the tick’s tree while series builds fill the gate (worker threads)', async () => {
    const { t, base, clock } = await publicApp({ maxBuilds: 1, workers: true });
    await t.apply([{ at: AS_OF - MIN, counters: [{ figure: 'ed_attendances', by: 40 }] }]);
    const url = `/v1/icbs/${ICB}/stream`;
    const client = open(base, url, NO_TOKEN);
    await vi.waitFor(() => expect(client.named('snapshot')).toHaveLength(1), WAIT);
    await t.apply([{ at: AS_OF - MIN, counters: [{ figure: 'ed_attendances', by: 25 }] }]);
    // A page's curves: series trees of a new range each time (never one already built), one after
    // another, so the shared gate (one build) is nearly always held until the update arrives.
    let asked = 0;
    let done = false;
    const curves = (async () => {
      const HOUR = 60 * MIN;
      while (!done && asked < 1_000) {
        const from = Math.floor(AS_OF / HOUR) * HOUR - ++asked * HOUR;
        const query = new URLSearchParams({
          metric: 'ed_in_department',
          interval: '15m',
          from: new Date(from).toISOString(),
          to: new Date(from + 4 * HOUR).toISOString(),
        });
        await Promise.all(
          [`/v1/icbs/${ICB}`, `/v1/trusts/${TRUST}`].map((scope) =>
            t.app.inject({ url: `${scope}/series?${query}` }),
          ),
        );
        await new Promise(setImmediate);
      }
    })();
    onTestFinished(async () => {
      done = true;
      await curves;
    });
    clock.now += TICK;
    await vi.waitFor(() => expect(client.named('update')).toHaveLength(1), {
      ...WAIT,
      timeout: 120_000,
    });
    done = true;
    await curves;
    expect(asked).toBeGreaterThan(0);
    const update = client.named('update')[0]!;
    expect(figures(update).ed_attendances!.adult).toBe(65);
    expect(update.data).toEqual({
      ...(await pulled(t, `/v1/icbs/${ICB}`)),
      cursor: update.lastEventId,
    });
  }, 180_000);
});
