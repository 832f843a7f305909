import { testLogger } from '@pulse/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChangeLogError, changeId } from '../../src/stream/change-log.js';
import { createStreamHub, type HubOptions, type StreamHub } from '../../src/stream/hub.js';
import type { StreamMetrics } from '../../src/stream/metrics.js';
import { fakeConnection, type FakeConnection, type ReceivedEvent } from './connection.js';
import { memoryLog, type MemoryLog } from './memory-log.js';

const WAIT = { timeout: 10_000, interval: 5 };
const hubs: StreamHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

function hubOn(log: MemoryLog, options: Partial<HubOptions> = {}): StreamHub {
  const hub = createStreamHub({
    log,
    readSnapshot: (key) => log.readSnapshot(key),
    logger: testLogger(),
    coalesceMs: 30,
    pollMs: 5,
    ...options,
  });
  hubs.push(hub);
  hub.start();
  return hub;
}

function subscribe(
  hub: StreamHub,
  scopeKey: string,
  resumeFrom?: string,
): FakeConnection & { close(): void } {
  const connection = fakeConnection();
  const { close } = hub.subscribe({
    scopeKey,
    kind: 'test',
    figures: undefined,
    resumeFrom,
    connection,
  });
  return Object.assign(connection, { close });
}

/** Every change id the events name after the first snapshot, in order. */
const listed = (events: ReceivedEvent[]) =>
  events.filter((e) => e.event === 'update').flatMap((e) => e.data.changes as string[]);

/** The log's snapshot reads, grouped by the turn of the event loop they were asked for in. */
function readsByTurn(log: MemoryLog) {
  const turns: string[][] = [];
  let turn: string[] | undefined;
  return {
    turns,
    readSnapshot(key: string) {
      if (!turn) {
        turns.push((turn = []));
        queueMicrotask(() => (turn = undefined));
      }
      turn.push(key);
      return log.readSnapshot(key);
    },
  };
}

async function until(check: () => void): Promise<void> {
  await vi.waitFor(check, WAIT);
}

/** Waits for the client's snapshot, and checks that a reset for `reason` alone came before it. */
async function resetThenSnapshot(client: FakeConnection, reason: string): Promise<void> {
  await until(() => expect(client.named('snapshot')).toHaveLength(1));
  expect(client.events.map((e) => [e.event, e.data.reason])).toEqual([
    ['reset', reason],
    ['snapshot', undefined],
  ]);
}

/** Snapshot reads that can be held: while held, each read waits until release(). */
function gatedReads(log: MemoryLog) {
  let gate: Promise<void> | undefined;
  let open = () => {};
  let failing = false;
  const reads = {
    held: 0,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    /** Lets the held reads go on; `fail`: they reject. */
    release(fail = false) {
      failing = fail;
      gate = undefined;
      open();
    },
    async readSnapshot(key: string) {
      if (gate) {
        reads.held += 1;
        await gate;
        if (failing) throw new Error('the store is down');
      }
      return log.readSnapshot(key);
    },
  };
  return reads;
}

describe('stream hub', () => {
  it('stream hub should send a snapshot with the head cursor, then coalesced updates', async () => {
    const log = memoryLog();
    log.apply(0, ['e', 't:RXN']);
    const hub = hubOn(log, { coalesceMs: 200 });
    const client = subscribe(hub, 't:RXN');
    await until(() => expect(client.named('snapshot')).toHaveLength(1));
    const [snapshot] = client.named('snapshot');
    expect(client.retry).toBe(2_000);
    expect(snapshot!.data).toMatchObject({ count: 1, cursor: snapshot!.id });
    expect(client.events[0]!.event).toBe('snapshot');

    const changes = [log.apply(1, ['e', 't:RXN']), log.apply(2, ['e']), log.apply(0, ['t:RXN'])];
    await until(() => expect(listed(client.events)).toHaveLength(2));
    changes.push(log.apply(2, ['t:RXN', 'i:QE1']));
    await until(() => expect(listed(client.events)).toHaveLength(3));

    const updates = client.named('update');
    expect(listed(updates)).toEqual([changes[0]!, changes[2]!, changes[3]!].map(changeId));
    expect(updates.at(-1)!.data).toMatchObject({ count: 4, cursor: updates.at(-1)!.id });
    // Coalesced: no two updates of the scope within coalesceMs of each other.
    for (let i = 1; i < updates.length; i += 1) {
      expect(updates[i]!.receivedAt - updates[i - 1]!.receivedAt).toBeGreaterThanOrEqual(198);
    }
    expect(updates[0]!.data.appliedAt).toBeDefined();
  });

  it('stream hub should read a scope once per cycle however many subscribe to it', async () => {
    const log = memoryLog();
    const hub = hubOn(log, { coalesceMs: 100 });
    const clients = Array.from({ length: 200 }, () => subscribe(hub, 'e'));
    await until(() => expect(clients.every((c) => c.named('snapshot').length === 1)).toBe(true));
    const readsAfterJoin = log.reads;
    expect(readsAfterJoin).toBeLessThan(10);
    for (let i = 0; i < 20; i += 1) log.apply(i % 3, ['e']);
    await until(() => expect(clients.every((c) => listed(c.events).length === 20)).toBe(true));
    const updates = clients[0]!.named('update').length;
    expect(log.reads - readsAfterJoin).toBe(updates);
    // Every subscriber got the very same frames.
    for (const client of clients)
      expect(client.events).toEqual(
        clients[0]!.events.map((e, i) => ({ ...e, receivedAt: client.events[i]!.receivedAt })),
      );
  });

  it('stream hub should start every due topic’s cycle on the tick that read its changes', async () => {
    const log = memoryLog();
    const { turns, readSnapshot } = readsByTurn(log);
    const hub = hubOn(log, { coalesceMs: 0, readSnapshot });
    const clients = ['e', 'i:QE1', 't:RXN'].map((key) => subscribe(hub, key));
    await until(() => expect(clients.every((c) => c.named('snapshot').length === 1)).toBe(true));
    turns.length = 0;
    log.apply(0, ['e']);
    log.apply(1, ['i:QE1']);
    log.apply(2, ['t:RXN']);
    await until(() => expect(clients.every((c) => listed(c.events).length === 1)).toBe(true));
    expect(turns.map((keys) => [...keys].sort())).toEqual([['e', 'i:QE1', 't:RXN']]);
  });

  it('stream hub should spread busy scopes’ updates over ticks, missing no change', async () => {
    const log = memoryLog();
    const { turns, readSnapshot } = readsByTurn(log);
    // 20 subscribers, polled every 5 ms, one update per 100 ms: a tick's share is 1 subscriber, so
    // each tick starts only the first due topic (10 subscribers) and the other waits.
    const hub = hubOn(log, { coalesceMs: 100, readSnapshot });
    const clients = ['e', 'r:Y'].flatMap((key) =>
      Array.from({ length: 10 }, () => subscribe(hub, key)),
    );
    await until(() => expect(clients.every((c) => c.named('snapshot').length === 1)).toBe(true));
    turns.length = 0;
    const applied = [];
    for (let i = 0; i < 30; i += 1) {
      applied.push(log.apply(i % 3, ['e', 'r:Y']));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await until(() => expect(clients.every((c) => listed(c.events).length === 30)).toBe(true));
    for (const client of clients) expect(listed(client.events)).toEqual(applied.map(changeId));
    // Both scopes changed on every tick, yet no tick read (and wrote) both.
    expect(turns.length).toBeGreaterThan(2);
    expect(turns.every((keys) => keys.length === 1)).toBe(true);
    expect(new Set(turns.flat())).toEqual(new Set(['e', 'r:Y']));
  });

  it('stream hub should resume on another replica with exactly the changes missed', async () => {
    const log = memoryLog();
    const first = hubOn(log);
    const second = hubOn(log, { pollMs: 40 });
    const client = subscribe(first, 'i:QE1');
    await until(() => expect(client.named('snapshot')).toHaveLength(1));
    const start = client.named('snapshot')[0]!.id!;

    const seen: string[] = [];
    let connection = client;
    for (let round = 0; round < 6; round += 1) {
      for (let i = 0; i < 5; i += 1) log.apply((round + i) % 3, i % 2 ? ['i:QE1', 'e'] : ['e']);
      const expected = log.changesOf('i:QE1', start).length;
      await until(() => expect(seen.length + listed(connection.events).length).toBe(expected));
      // The client goes away and comes back on the other replica with its last id.
      connection.close();
      seen.push(...listed(connection.events));
      for (let i = 0; i < 4; i += 1) log.apply(i % 3, ['i:QE1']);
      const hub = round % 2 ? first : second;
      connection = subscribe(hub, 'i:QE1', connection.lastEventId());
      await until(() => expect(seen.length + listed(connection.events).length).toBe(expected + 4));
      expect(connection.named('snapshot')).toHaveLength(0);
      expect(connection.named('reset')).toHaveLength(0);
    }
    seen.push(...listed(connection.events));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(log.changesOf('i:QE1', start).map(changeId).sort());
    const last = connection.named('update').at(-1)!;
    expect(last.data.count).toBe(log.changesOf('i:QE1').length);
  });

  it('stream hub should answer a cursor out of retention with reset then a snapshot', async () => {
    const log = memoryLog();
    const hub = hubOn(log);
    const client = subscribe(hub, 'e');
    await until(() => expect(client.named('snapshot')).toHaveLength(1));
    log.apply(0, ['e']);
    await until(() => expect(client.named('update')).toHaveLength(1));
    client.close();
    log.apply(0, ['e']);
    log.apply(0, ['e']);
    await until(() => expect(hub.head).toBe('m.3.0.0'));
    log.trim(0, 2);
    const back = subscribe(hub, 'e', client.lastEventId());
    await until(() => expect(back.named('snapshot')).toHaveLength(1));
    expect(back.events.map((e) => e.event)).toEqual(['reset', 'snapshot']);
    expect(back.events[0]!.data.reason).toBe('cursor-expired');
    expect(back.events[0]!.id).toBeUndefined();
    expect(back.events[1]!.data.count).toBe(3);
  });

  it('stream hub should reset a resume as feed-interrupted when the follower loses its place meanwhile', async () => {
    const log = memoryLog();
    let gateNext = false;
    let expireNext = false;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let losses = 0;
    const hub = hubOn(
      {
        ...log,
        async readChanges(cursor, options) {
          if (gateNext) {
            gateNext = false;
            await gate;
          }
          if (expireNext) {
            expireNext = false;
            throw new ChangeLogError('expired', 'trimmed past the follower');
          }
          return log.readChanges(cursor, options);
        },
      },
      { lost: () => (losses += 1) },
    );
    await until(() => expect(hub.head).toBe('m.0.0.0'));
    // The resume's read of the log waits while the follower loses its place.
    gateNext = true;
    const back = subscribe(hub, 'e', 'm.0.0.0');
    expireNext = true;
    await until(() => expect(losses).toBe(1));
    open();
    await resetThenSnapshot(back, 'feed-interrupted');
  });

  it('stream hub should list to a resume the changes a cycle sends while the resume waits for it', async () => {
    const log = memoryLog();
    const reads = gatedReads(log);
    const hub = hubOn(log, { coalesceMs: 0, readSnapshot: reads.readSnapshot });
    const live = subscribe(hub, 'e');
    const old = subscribe(hub, 'e');
    await until(() => expect(old.named('snapshot')).toHaveLength(1));
    const from = old.lastEventId()!;
    old.close();
    // A cycle for c1 reads its snapshot (held); the resume's catch-up finds c1 and waits for the
    // cycle; the follower reads c2 meanwhile, which the cycle's next pass sends.
    reads.hold();
    const c1 = log.apply(0, ['e']);
    await until(() => expect(reads.held).toBe(1));
    const back = subscribe(hub, 'e', from);
    // (The memory log answers within microtasks: the catch-up is read before any timer fires.)
    await new Promise((resolve) => setTimeout(resolve, 20));
    const c2 = log.apply(1, ['e']);
    await until(() => expect(hub.head).toBe('m.1.1.0'));
    reads.release();
    await until(() => expect(listed(live.events)).toEqual([c1, c2].map(changeId)));
    await until(() => expect(listed(back.events)).toEqual([c1, c2].map(changeId)));
    expect(back.named('snapshot')).toHaveLength(0);
  });

  it('stream hub should end with shutdown the joiners of a cycle still reading when it closes', async () => {
    const log = memoryLog();
    const reads = gatedReads(log);
    const hub = hubOn(log, { readSnapshot: reads.readSnapshot });
    await until(() => expect(hub.head).toBe('m.0.0.0'));
    reads.hold();
    const client = subscribe(hub, 'e');
    await until(() => expect(reads.held).toBe(1));
    await hub.close();
    reads.release();
    await until(() => expect(client.ended).toBe(true));
    expect(client.events.map((e) => [e.event, e.data.reason])).toEqual([
      ['disconnect', 'shutdown'],
    ]);
  });

  /** A hub whose follower's next read of the log, once `expireNext` is set, finds itself trimmed. */
  function expiringHub(log: MemoryLog, options: Partial<HubOptions>) {
    const control = { expireNext: false };
    const hub = hubOn(
      {
        ...log,
        async readChanges(cursor, page) {
          if (control.expireNext) {
            control.expireNext = false;
            throw new ChangeLogError('expired', 'trimmed past the follower');
          }
          return log.readChanges(cursor, page);
        },
      },
      options,
    );
    return { hub, control };
  }

  it('stream hub should reset a resume waiting for a cycle when the follower loses its place', async () => {
    const log = memoryLog();
    const reads = gatedReads(log);
    const { hub, control } = expiringHub(log, { coalesceMs: 0, readSnapshot: reads.readSnapshot });
    const live = subscribe(hub, 'e');
    await until(() => expect(live.named('snapshot')).toHaveLength(1));
    const from = live.lastEventId()!;
    reads.hold();
    log.apply(0, ['e']);
    await until(() => expect(reads.held).toBe(1));
    // The resume's catch-up is read; it waits for the held cycle, and the follower loses its place.
    const back = subscribe(hub, 'e', from);
    await new Promise((resolve) => setTimeout(resolve, 20));
    control.expireNext = true;
    await until(() => expect(live.named('reset')).toHaveLength(1));
    reads.release();
    await resetThenSnapshot(back, 'feed-interrupted');
    await until(() => expect(live.named('snapshot')).toHaveLength(2));
    expect(live.named('snapshot')[1]!.data.count).toBe(1);
  });

  it('stream hub should reset a resume whose cycle read fails across a loss of place', async () => {
    const log = memoryLog();
    const reads = gatedReads(log);
    const { hub, control } = expiringHub(log, { readSnapshot: reads.readSnapshot });
    const live = subscribe(hub, 'e');
    await until(() => expect(live.named('snapshot')).toHaveLength(1));
    // The resume joins a cycle whose read is held; c1 comes, and the follower, losing its place,
    // starts again after it; then the held read fails.
    reads.hold();
    const back = subscribe(hub, 'e', live.lastEventId());
    await until(() => expect(reads.held).toBe(1));
    log.apply(0, ['e']);
    control.expireNext = true;
    await until(() => expect(live.named('reset')).toHaveLength(1));
    reads.release(true);
    await resetThenSnapshot(back, 'feed-interrupted');
    expect(back.named('snapshot')[0]!.data.count).toBe(1);
  });

  it('stream hub should list to a resume the changes applied before its follower had a head', async () => {
    const log = memoryLog();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const hub = hubOn({
      ...log,
      async headCursor() {
        await gate;
        return log.headCursor();
      },
    });
    // The resume's catch-up reads the log before the follower has its first head; c1 comes
    // between, and the follower starts from a head after it.
    const back = subscribe(hub, 'e', 'm.0.0.0');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const c1 = log.apply(0, ['e']);
    open();
    await until(() => expect(hub.head).toBe('m.1.0.0'));
    const c2 = log.apply(1, ['e']);
    await until(() => expect(listed(back.events)).toEqual([c1, c2].map(changeId)));
    expect(back.named('snapshot')).toHaveLength(0);
  });

  it('stream hub should never move a resume from a replica further along back, nor repeat to it', async () => {
    const log = memoryLog();
    let held: (() => void) | undefined;
    let hold = false;
    const hub = hubOn(
      {
        ...log,
        async readChanges(cursor, options) {
          if (hold && cursor === 'm.0.0.0') await new Promise<void>((resolve) => (held = resolve));
          return log.readChanges(cursor, options);
        },
      },
      { heartbeatMs: 40, pageLimit: 2 },
    );
    await until(() => expect(hub.head).toBe('m.0.0.0'));
    // This replica's follower is held at m.0.0.0; the client had c1..c3 from another replica.
    hold = true;
    await until(() => expect(held).toBeDefined());
    const had = [log.apply(0, ['e']), log.apply(0, ['e']), log.apply(0, ['e'])];
    hold = false;
    const back = subscribe(hub, 'e', 'm.3.0.0');
    await until(() => expect(back.named('heartbeat').length).toBeGreaterThanOrEqual(2));
    held!();
    // The follower reads c1..c3 in two pages, then c4 comes.
    await until(() => expect(hub.head).toBe('m.3.0.0'));
    const c4 = log.apply(1, ['e']);
    await until(() => expect(listed(back.events)).toEqual([changeId(c4)]));
    expect(listed(back.events)).not.toContain(changeId(had[2]!));
    const ids = back.events.flatMap((e) => (e.id === undefined ? [] : [e.id]));
    for (const id of ids) expect(log.join(id, 'm.3.0.0')).toBe(id);
    expect(back.lastEventId()).toBe('m.3.1.0');
  });

  it('stream hub should send heartbeats without an id to a subscriber still waiting for its first event', async () => {
    const log = memoryLog();
    let failing = true;
    const hub = hubOn(log, {
      heartbeatMs: 50,
      readSnapshot: (key) =>
        failing ? Promise.reject(new Error('the store is down')) : log.readSnapshot(key),
    });
    const waiting = subscribe(hub, 'e');
    await until(() => expect(waiting.named('heartbeat').length).toBeGreaterThanOrEqual(2));
    expect(waiting.named('snapshot')).toHaveLength(0);
    for (const beat of waiting.named('heartbeat')) {
      expect(beat.id).toBeUndefined();
      expect(beat.data.head).toBe('m.0.0.0');
    }
    failing = false;
    await until(() => expect(waiting.named('snapshot')).toHaveLength(1));
    expect(waiting.named('snapshot')[0]!.id).toBe('m.0.0.0');
  });

  it('stream hub should answer a malformed cursor with reset then a snapshot', async () => {
    const hub = hubOn(memoryLog());
    const client = subscribe(hub, 'e', 'not-a-cursor');
    await resetThenSnapshot(client, 'cursor-malformed');
  });

  it('stream hub should disconnect a slow consumer with its reason, not buffer for it', async () => {
    const log = memoryLog();
    const disconnects: string[] = [];
    const sent: string[] = [];
    const metrics: StreamMetrics = {
      subscriberAdded() {},
      subscriberRemoved() {},
      eventSent: (event) => sent.push(event),
      resumed() {},
      refused() {},
      delivered() {},
      disconnected: (reason) => disconnects.push(reason),
    };
    const hub = hubOn(log, { maxBufferBytes: 10_000, metrics });
    const slow = subscribe(hub, 'e');
    const fast = subscribe(hub, 'e');
    await until(() => expect(slow.named('snapshot')).toHaveLength(1));
    slow.backlog = 9_990;
    log.apply(0, ['e']);
    await until(() => expect(slow.ended).toBe(true));
    expect(slow.events.at(-1)).toMatchObject({
      event: 'disconnect',
      data: { reason: 'slow-consumer' },
    });
    expect(disconnects).toEqual(['slow-consumer']);
    expect(sent.filter((event) => event === 'disconnect')).toHaveLength(1);
    expect(hub.connections).toBe(1);
    await until(() => expect(fast.named('update')).toHaveLength(1));
  });

  it('stream hub should send heartbeats with the head cursor, moving quiet subscribers to it', async () => {
    const log = memoryLog();
    const hub = hubOn(log, { heartbeatMs: 50 });
    const quiet = subscribe(hub, 't:RAJ');
    await until(() => expect(quiet.named('snapshot')).toHaveLength(1));
    log.apply(1, ['e']);
    log.apply(2, ['e']);
    await until(() => expect(quiet.named('heartbeat').at(-1)?.data.head).toBe('m.0.1.1'));
    const beat = quiet.named('heartbeat').at(-1)!;
    expect(beat.id).toBe('m.0.1.1');
    // Resuming from the heartbeat's id misses nothing and repeats nothing.
    quiet.close();
    const change = log.apply(0, ['t:RAJ']);
    const back = subscribe(hub, 't:RAJ', beat.id);
    await until(() => expect(listed(back.events)).toEqual([changeId(change)]));
  });

  it('stream hub should end connections at their maximum lifetime and on close', async () => {
    const log = memoryLog();
    const hub = hubOn(log, { maxLifetimeMs: 60, random: () => 0 });
    const client = subscribe(hub, 'e');
    await until(() => expect(client.ended).toBe(true));
    expect(client.events.at(-1)!.data.reason).toBe('max-lifetime');
    const other = hubOn(log);
    const open = subscribe(other, 'e');
    await until(() => expect(open.named('snapshot')).toHaveLength(1));
    await other.close();
    expect(open.ended).toBe(true);
    expect(open.events.at(-1)!.data.reason).toBe('shutdown');
  });

  it('stream hub should reset every subscriber when its follower falls out of the log', async () => {
    const log = memoryLog();
    const hub = hubOn(log, { pollMs: 100 });
    const client = subscribe(hub, 'e');
    await until(() => expect(client.named('snapshot')).toHaveLength(1));
    // Between two reads of the follower, the log moves on and is trimmed past it.
    log.apply(0, ['e']);
    log.apply(0, ['e']);
    log.trim(0, 2);
    await until(() => expect(client.named('snapshot')).toHaveLength(2));
    expect(client.events.map((e) => [e.event, e.data.reason])).toEqual([
      ['snapshot', undefined],
      ['reset', 'feed-interrupted'],
      ['snapshot', undefined],
    ]);
    expect(client.named('snapshot')[1]!.data.count).toBe(2);
    expect(client.named('snapshot')[1]!.id).toBe('m.2.0.0');
  });

  it('stream hub should tell of every change before a snapshot claims it, and of a lost place', async () => {
    const log = memoryLog();
    const told: string[] = [];
    let losses = 0;
    const snapshots: { told: number; count: unknown }[] = [];
    const hub = hubOn(log, {
      pollMs: 100,
      changed: (change) => told.push(changeId(change)),
      lost: () => (losses += 1),
      // What the hub had told when each snapshot read began.
      readSnapshot: async (key) => {
        const at = told.length;
        const snapshot = await log.readSnapshot(key);
        snapshots.push({ told: at, count: (snapshot as unknown as { count: number }).count });
        return snapshot;
      },
    });
    const client = subscribe(hub, 't:RXN');
    await until(() => expect(client.named('snapshot')).toHaveLength(1));
    // Changes of scopes no one here follows are told too.
    const changes = [log.apply(0, ['i:QE1']), log.apply(1, ['t:RXN']), log.apply(2, ['e'])];
    await until(() => expect(listed(client.events)).toEqual([changeId(changes[1]!)]));
    expect(told).toEqual(changes.map(changeId));
    expect(snapshots.at(-1)!.told).toBeGreaterThanOrEqual(2);
    expect(losses).toBe(0);
    log.apply(0, ['t:RXN']);
    log.trim(0, 2);
    await until(() => expect(client.named('snapshot')).toHaveLength(2));
    expect(losses).toBe(1);
  });
});
