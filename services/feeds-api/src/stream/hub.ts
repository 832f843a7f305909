// The push feed's fan-out: ONE reader per process follows the change log (the follower) and hands
// each change to the topics (one per scope with subscribers) it names. A topic reads its scope's
// snapshot once per cycle however many subscribers it has, and writes the same encoded frame to
// each. Everything a subscriber receives is sent from its topic's cycle, one cycle at a time per
// topic, which is what makes the cursor bookkeeping below exact.
//
// Timing. Updates run on the follower's ticks (a read of the log starts every pollMs once caught
// up): after each read, the topics with changes not yet sent whose last update is at least the
// coalescing interval old start their cycles, in the same turn of the event loop, up to a tick's
// share of the subscribers (SPREAD). So an update carries the changes the tick just read (a
// per-topic timer would fire between two reads, its newest change up to a poll old), and the due
// topics' snapshot reads are asked for together (the plugin reads what they share once).
//
// Cursors. An event's id is a change-log cursor; a subscriber's `since` is the cursor whose every
// change to its scope it has had (in a snapshot, or listed in an update). A snapshot read after
// the follower reached cursor F reflects every change up to F (the log entry is written by the
// same atomic apply as the figures), so it is sent with id F. An update lists the changes of its
// scope after the subscriber's `since` up to the cycle's F, and moves `since` to F. A resumed
// subscriber (Last-Event-ID L, from any replica) gets one update listing the changes of its scope
// after L up to F, found by reading the log from L (the catch-up) plus whatever the follower
// handed its topic meanwhile, and moves to the later of L and F per partition. `since` never
// moves back: L may be ahead of this replica's head (the client came from a replica further
// along), and then updates list only changes L does not cover, and ids are never behind L.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@pulse/logging';
import type { Snapshot } from '../schemas/snapshot.js';
import { ChangeLogError, changeId, type ChangeLog, type LoggedChange } from './change-log.js';
import {
  heartbeatFrame,
  resetFrame,
  snapshotFrame,
  updateFrame,
  type Frame,
  type ResetReason,
} from './frames.js';
import { NO_METRICS } from './metrics.js';
import {
  subscriberPool,
  type ConnectionSettings,
  type StreamConnection,
  type Subscriber,
} from './subscribers.js';

export type { StreamConnection } from './subscribers.js';

export interface HubOptions extends ConnectionSettings {
  log: ChangeLog;
  /** Reads a scope's snapshot now, by scope key. */
  readSnapshot(scopeKey: string): Promise<Snapshot>;
  /**
   * Told of every change the follower reads, before any cycle can claim it (a snapshot read
   * after this call reflects it), whether or not its scopes have subscribers here.
   */
  changed?(change: LoggedChange): void;
  /** Told when the follower lost its place in the log: changes were skipped. */
  lost?(): void;
  logger: Logger;
  now?: () => number;
  /** At most one update per scope per this many ms (default 1,000). */
  coalesceMs?: number;
  /** How often the follower starts a read of the log when it has caught up (default 50 ms). */
  pollMs?: number;
  /** A heartbeat to every subscriber this often (default 15,000 ms). */
  heartbeatMs?: number;
  /** Changes per read of the log (default 1,000). */
  pageLimit?: number;
}

export interface SubscribeRequest {
  /** `e`, `r:<code>`, `i:<code>` or `t:<code>`. */
  scopeKey: string;
  /** For metrics: england, region, icb or trust. */
  kind: string;
  /** The figures wanted (undefined = all). */
  figures: readonly string[] | undefined;
  /** Last-Event-ID or ?since=: resume after this cursor. */
  resumeFrom: string | undefined;
  connection: StreamConnection;
}

export interface Subscription {
  /** The client went away: stop writing and forget it. */
  close(): void;
}

export interface StreamHub {
  /** Starts following the change log (returns at once; the first read may wait for Redis). */
  start(): void;
  subscribe(request: SubscribeRequest): Subscription;
  /** The follower's cursor (undefined before its first read). */
  readonly head: string | undefined;
  /** Connections open now. */
  readonly connections: number;
  /** Ends every stream with a `disconnect` and stops following. */
  close(): Promise<void>;
}

interface Sub {
  request: SubscribeRequest;
  conn: Subscriber;
  filterKey: string;
  since: string | undefined;
  /** Set while a resume reads the log: what its topic emitted meanwhile. */
  missed: LoggedChange[] | undefined;
  /** Set once a resume's catch-up is read: the cursor it resumes from and the changes found. */
  resume: { from: string; changes: LoggedChange[] } | undefined;
  /** Since when it has waited for its first event (opened, or reset), by `now`. */
  waitingSince: number;
}

interface Topic {
  key: string;
  live: Set<Sub>;
  /** Resumes still reading the log. */
  waiting: Set<Sub>;
  /** Ready for their first event, sent by the next cycle. */
  joiners: Sub[];
  /** Changes of this scope not yet sent to the live subscribers. */
  pending: LoggedChange[];
  /** The cursor of the last cycle that sent updates (live subscribers' usual `since`). */
  lastEmit: string | undefined;
  lastEmitAt: number;
  running: boolean;
  /** A cycle to come: joiners waiting for the head, or a retry after a failed read. */
  timer: NodeJS.Timeout | undefined;
  /** Its heartbeats: each topic beats on its own phase, not every subscriber at one instant. */
  heartbeat: NodeJS.Timeout;
}

/**
 * A tick starts due topics until they have this many times its even share of the subscribers
 * (pollMs / coalesceMs of them); the rest wait for the next tick. Busy scopes are due on the same
 * tick every interval, so without it every subscriber of every busy scope would be written to in
 * one burst per interval; with it their updates settle into different ticks and stay there, since
 * a topic's next update is due an interval after its last. The first due topic always starts.
 */
const SPREAD = 2;

const SHUTDOWN_DETAIL = 'the server is shutting down; resume with Last-Event-ID on another';
const LOST_PLACE_DETAIL = 'this server lost its place in the change log';

export function createStreamHub(options: HubOptions): StreamHub {
  const { log, logger } = options;
  const metrics = options.metrics ?? NO_METRICS;
  const now = options.now ?? Date.now;
  const coalesceMs = options.coalesceMs ?? 1_000;
  const pollMs = options.pollMs ?? 50;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const pageLimit = options.pageLimit ?? 1_000;
  for (const [name, value] of Object.entries({ coalesceMs, pollMs, heartbeatMs, pageLimit })) {
    if (!Number.isInteger(value) || value < (name === 'coalesceMs' ? 0 : 1))
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }

  const topics = new Map<string, Topic>();
  const pool = subscriberPool(options);
  let head: string | undefined;
  /** Counts the follower's restarts: a cycle whose read began before one serves no one with it. */
  let restarts = 0;
  let closed = false;
  let wake: (() => void) | undefined;
  let following: Promise<void> | undefined;

  // --- writing ---------------------------------------------------------------------------------

  /** The subscriber is gone: out of its topic. */
  function forget(sub: Sub): void {
    const topic = topics.get(sub.request.scopeKey);
    if (!topic) return;
    topic.live.delete(sub);
    topic.waiting.delete(sub);
    const at = topic.joiners.indexOf(sub);
    if (at >= 0) topic.joiners.splice(at, 1);
    retire(topic);
  }

  // --- topics ----------------------------------------------------------------------------------

  function topicOf(key: string): Topic {
    let topic = topics.get(key);
    if (!topic) {
      const created: Topic = {
        key,
        live: new Set(),
        waiting: new Set(),
        joiners: [],
        pending: [],
        lastEmit: undefined,
        lastEmitAt: -Infinity,
        running: false,
        timer: undefined,
        heartbeat: setInterval(() => beat(created), heartbeatMs),
      };
      created.heartbeat.unref();
      topics.set(key, created);
      topic = created;
    }
    return topic;
  }

  function retire(topic: Topic): void {
    if (topic.running || topic.live.size + topic.waiting.size + topic.joiners.length > 0) return;
    clearTimeout(topic.timer);
    clearInterval(topic.heartbeat);
    // (A topic retired before may finish a cycle later: it must not take its successor along.)
    if (topics.get(topic.key) === topic) topics.delete(topic.key);
  }

  function schedule(topic: Topic, delayMs: number): void {
    if (topic.running || topic.timer || closed) return;
    topic.timer = setTimeout(() => {
      topic.timer = undefined;
      void cycle(topic);
    }, delayMs);
    topic.timer.unref();
  }

  /** Whether the topic has changes to send its live subscribers and may send them now. */
  function due(topic: Topic): boolean {
    return (
      topic.pending.length > 0 && topic.live.size > 0 && now() - topic.lastEmitAt >= coalesceMs
    );
  }

  /**
   * On each tick of the follower: the due topics' cycles, started together, the longest-waiting
   * first, until they write to a tick's share of the subscribers (see SPREAD).
   */
  function runDue(): void {
    const ready = [...topics.values()].filter((t) => !t.running && !t.timer && due(t));
    // (lastEmitAt is -Infinity before a topic's first update: compared, not subtracted.)
    ready.sort((a, b) => (a.lastEmitAt < b.lastEmitAt ? -1 : a.lastEmitAt > b.lastEmitAt ? 1 : 0));
    let budget = coalesceMs > 0 ? (pool.size * pollMs * SPREAD) / coalesceMs : Infinity;
    for (const topic of ready) {
      if (budget <= 0) break;
      budget -= topic.live.size;
      void cycle(topic);
    }
  }

  /** Joiners at once; updates when due. Never two at a time for one topic. */
  async function cycle(topic: Topic): Promise<void> {
    if (topic.running || closed) return;
    clearTimeout(topic.timer);
    topic.timer = undefined;
    topic.running = true;
    try {
      for (;;) {
        const at = head;
        if (at === undefined) return; // the follower's first read kicks every topic
        const updating = due(topic);
        if (topic.joiners.length === 0 && !updating) return;
        const joiners = topic.joiners.splice(0);
        const batch = updating ? topic.pending.splice(0) : [];
        const restartsBefore = restarts;
        let snapshot: Snapshot | undefined;
        let failure: unknown;
        try {
          snapshot = await options.readSnapshot(topic.key);
        } catch (err) {
          failure = err;
        }
        if (closed) {
          for (const sub of joiners) sub.conn.drop('shutdown', SHUTDOWN_DETAIL);
          return;
        }
        if (restarts !== restartsBefore) {
          // The follower lost its place meanwhile: `at` is no longer a cursor it stands behind.
          // Its live subscribers were reset; the joiners wait for the new head (resumes reset).
          for (const sub of joiners) interrupted(topic, sub);
          continue;
        }
        if (snapshot === undefined) {
          logger.warn({ err: failure, scope: topic.key }, 'stream: snapshot read failed; retrying');
          topic.pending.unshift(...batch);
          topic.joiners.unshift(...joiners.filter((sub) => !sub.conn.closed));
          topic.running = false;
          schedule(topic, Math.max(coalesceMs, 500));
          return;
        }
        if (updating) emit(topic, batch, at, snapshot);
        const snapshots = new Map<string, Frame>();
        for (const sub of joiners)
          if (!sub.conn.closed) join(topic, sub, at, snapshot, snapshots, batch);
      }
    } finally {
      topic.running = false;
      // Pending changes wait for the follower's next tick.
      if (topic.joiners.length > 0 && head !== undefined) schedule(topic, 0);
      retire(topic);
    }
  }

  function emit(topic: Topic, batch: LoggedChange[], at: string, snapshot: Snapshot): void {
    const sentAt = now();
    const shared = new Map<string, Frame>();
    for (const sub of topic.live) {
      const synced = sub.since === topic.lastEmit;
      const changes = synced ? batch : batch.filter((c) => !covered(sub.since, c));
      sub.since = advance(sub.since, at, topic.lastEmit);
      if (changes.length === 0) continue;
      let frame = synced ? shared.get(sub.filterKey) : undefined;
      if (frame === undefined) {
        frame = updateFrame(snapshot, sub.since, changes, sub.request.figures);
        if (synced) shared.set(sub.filterKey, frame);
      }
      sub.conn.send(frame, 'update');
    }
    for (const sub of topic.waiting) sub.missed?.push(...batch);
    topic.lastEmit = at;
    // After the last write: no write of the next update is within coalesceMs of one of this.
    topic.lastEmitAt = now();
    for (const change of batch) metrics.delivered((sentAt - change.at) / 1000);
  }

  /**
   * `snapshots`: the snapshot frames of this cycle by filter, shared by its joiners; `batch`: the
   * changes this cycle sent its live subscribers, which a resume has not had either.
   */
  function join(
    topic: Topic,
    sub: Sub,
    at: string,
    snapshot: Snapshot,
    snapshots: Map<string, Frame>,
    batch: readonly LoggedChange[],
  ): void {
    if (sub.resume) {
      const { from, changes: found } = sub.resume;
      const missed = new Map<string, LoggedChange>();
      for (const change of [...found, ...(sub.missed ?? []), ...batch, ...topic.pending]) {
        if (!log.covers(from, change) && log.covers(at, change))
          missed.set(changeId(change), change);
      }
      sub.resume = undefined;
      sub.missed = undefined;
      sub.since = log.join(from, at);
      const changes = [...missed.values()].sort(
        (a, b) => a.at - b.at || a.partition - b.partition || a.id.localeCompare(b.id),
      );
      if (changes.length > 0)
        sub.conn.send(updateFrame(snapshot, sub.since, changes, sub.request.figures), 'update');
      metrics.resumed('exact');
    } else {
      sub.since = at;
      let frame = snapshots.get(sub.filterKey);
      if (frame === undefined) {
        frame = snapshotFrame(snapshot, at, sub.request.figures);
        snapshots.set(sub.filterKey, frame);
      }
      sub.conn.send(frame, 'snapshot');
    }
    if (!sub.conn.closed) topic.live.add(sub);
  }

  function covered(since: string | undefined, change: LoggedChange): boolean {
    return since !== undefined && log.covers(since, change);
  }

  /**
   * A subscriber's `since` moved up to `to`, never back: a resume from a replica further along
   * may be ahead of this one's head on some partition. `known`: a cursor `since` may equal that is
   * not ahead of `to` (the topic's last update), which needs no join.
   */
  function advance(since: string | undefined, to: string, known: string | undefined): string {
    return since === undefined || since === known ? to : log.join(since, to);
  }

  // --- resuming --------------------------------------------------------------------------------

  async function resume(topic: Topic, sub: Sub, from: string): Promise<void> {
    let reset: [reason: ResetReason, detail: string];
    try {
      log.check(from);
      const found: LoggedChange[] = [];
      let cursor = from;
      for (;;) {
        // The catch-up ends at the log's end only if it read that end while the follower had a
        // head: the follower reads on from there, so every later change reaches the topic. Without
        // one, it starts from a head taken later, and the changes between would be lost here.
        const following = head !== undefined;
        const page = await log.readChanges(cursor, { limit: pageLimit });
        for (const change of page.changes)
          if (change.scopes.includes(topic.key)) found.push(change);
        cursor = page.nextCursor;
        if (sub.conn.closed || closed) break;
        if (page.changes.length < pageLimit) {
          if (following) break;
          await sleep(pollMs);
          if (sub.conn.closed || closed) break;
        }
      }
      if (sub.conn.closed || closed) return;
      topic.waiting.delete(sub);
      if (sub.missed !== undefined) {
        sub.resume = { from, changes: found };
        topic.joiners.push(sub);
        void cycle(topic);
        return;
      }
      // The follower lost its place meanwhile (restartAll): what it skipped is lost here too.
      reset = ['feed-interrupted', LOST_PLACE_DETAIL];
    } catch (err) {
      if (sub.conn.closed || closed) return;
      topic.waiting.delete(sub);
      if (err instanceof ChangeLogError) {
        reset = [err.kind === 'expired' ? 'cursor-expired' : 'cursor-malformed', err.message];
      } else {
        logger.warn({ err, scope: topic.key }, 'stream: catch-up failed; sending a new snapshot');
        reset = ['feed-interrupted', 'the change log could not be read'];
      }
    }
    sub.missed = undefined;
    sendReset(sub, ...reset);
    metrics.resumed('reset');
    if (sub.conn.closed) return; // (sending may have dropped a slow consumer)
    topic.joiners.push(sub);
    void cycle(topic);
  }

  // --- following the change log ----------------------------------------------------------------

  function dispatch(changes: readonly LoggedChange[]): void {
    for (const change of changes) {
      options.changed?.(change);
      for (const key of change.scopes) {
        const topic = topics.get(key);
        if (!topic) continue;
        topic.pending.push(change);
      }
    }
  }

  /** A `reset` (a fresh snapshot follows): the subscriber waits for its first event again. */
  function sendReset(sub: Sub, reason: ResetReason, detail: string): void {
    sub.conn.send(resetFrame(reason, detail), 'reset');
    sub.waitingSince = now();
  }

  /** A resume whose catch-up the follower's restart voided: reset, then a snapshot. */
  function resetResume(sub: Sub): void {
    sub.resume = undefined;
    sendReset(sub, 'feed-interrupted', LOST_PLACE_DETAIL);
    metrics.resumed('reset');
  }

  /** A joiner of a cycle the follower's restart voided: back to wait for the new head. */
  function interrupted(topic: Topic, sub: Sub): void {
    if (sub.resume) resetResume(sub);
    // (Sending may have dropped a slow consumer.)
    if (!sub.conn.closed) topic.joiners.push(sub);
  }

  /** The follower lost its place (log trimmed past it, or reset): every subscriber starts again. */
  function restartAll(why: string): void {
    options.lost?.();
    restarts += 1;
    for (const topic of topics.values()) {
      topic.pending = [];
      topic.lastEmit = undefined;
      // Resumes read up to a point the follower has now skipped past: they start afresh too.
      for (const sub of [...topic.joiners]) if (sub.resume) resetResume(sub);
      for (const sub of topic.live) {
        sendReset(sub, 'feed-interrupted', why);
        if (!sub.conn.closed) topic.joiners.push(sub);
      }
      topic.live.clear();
      // Resumes still reading: what the follower skipped is lost to them too (resume() resets).
      for (const sub of topic.waiting) sub.missed = undefined;
    }
  }

  function kickAll(): void {
    for (const topic of topics.values()) if (topic.joiners.length > 0) void cycle(topic);
  }

  async function follow(): Promise<void> {
    let failures = 0;
    while (!closed) {
      const tickStart = Date.now();
      let full = false;
      try {
        if (head === undefined) {
          head = await log.headCursor();
          kickAll();
        }
        const page = await log.readChanges(head, { limit: pageLimit });
        dispatch(page.changes);
        head = page.nextCursor;
        full = page.changes.length >= pageLimit;
        failures = 0;
      } catch (err) {
        failures += 1;
        if (err instanceof ChangeLogError) {
          logger.error({ err }, 'stream: the follower lost its place in the change log');
          head = undefined;
          restartAll('this server fell behind the change log; figures are sent afresh');
        } else if (failures === 1 || failures % 100 === 0) {
          logger.warn({ err, failures }, 'stream: reading the change log failed; retrying');
        }
      }
      // Also after a failed read: changes read before it still go out.
      if (!closed) runDue();
      if (!full && !closed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(
            resolve,
            failures > 0
              ? Math.min(5_000, pollMs * 2 ** failures)
              : Math.max(0, pollMs - (Date.now() - tickStart)),
          );
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  }

  function beat(topic: Topic): void {
    // The head, when nothing of this scope is unsent up to it: the subscribers' cursors move to it.
    const clean =
      !topic.running && topic.pending.length === 0 && topic.joiners.length === 0 ? head : undefined;
    const at = now();
    let plain: Frame | undefined;
    const plainFrame = () => (plain ??= heartbeatFrame(head ?? null, at, undefined));
    if (clean !== undefined) {
      const last = topic.lastEmit;
      topic.lastEmit = clean;
      const frame = heartbeatFrame(clean, at, clean);
      for (const sub of topic.live) {
        // (A resume ahead of the head on some partition keeps its own cursor, and gets no id.)
        sub.since = advance(sub.since, clean, last);
        sub.conn.send(sub.since === clean ? frame : plainFrame(), 'heartbeat');
      }
    } else {
      for (const sub of topic.live) sub.conn.send(plainFrame(), 'heartbeat');
    }
    // Subscribers whose first event is a heartbeat interval late (the follower has no head, a
    // snapshot read keeps failing, a resume is still reading the log) hear that the stream is
    // alive too; without an id, as their cursor has not started. Sooner, their first event is
    // coming, and it stays the first.
    for (const sub of [...topic.joiners, ...topic.waiting])
      if (at - sub.waitingSince >= heartbeatMs) sub.conn.send(plainFrame(), 'heartbeat');
  }

  return {
    start() {
      following ??= follow();
    },

    subscribe(request) {
      const sub: Sub = {
        request,
        conn: pool.open(request.connection, { kind: request.kind, disclosure: 'exact' }, () =>
          forget(sub),
        ),
        filterKey: request.figures?.join(',') ?? '*',
        since: undefined,
        missed: undefined,
        resume: undefined,
        waitingSince: now(),
      };
      const topic = topicOf(request.scopeKey);
      if (request.resumeFrom === undefined) {
        topic.joiners.push(sub);
        void cycle(topic);
      } else {
        sub.missed = [];
        topic.waiting.add(sub);
        void resume(topic, sub, request.resumeFrom);
      }
      return { close: () => sub.conn.forget() };
    },

    get head() {
      return head;
    },

    get connections() {
      return pool.size;
    },

    async close() {
      if (closed) return;
      closed = true;
      wake?.();
      for (const topic of [...topics.values()]) {
        clearTimeout(topic.timer);
        clearInterval(topic.heartbeat);
        for (const sub of [...topic.live, ...topic.waiting, ...topic.joiners])
          sub.conn.drop('shutdown', SHUTDOWN_DETAIL);
      }
      await following;
    },
  };
}
