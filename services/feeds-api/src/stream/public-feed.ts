// The public push feed below national level: a region's, ICB's or trust's stream for a caller who
// does not see the scope exactly. It sends the scope's DISCLOSURE-CONTROLLED snapshot, the body of
// the public snapshot route, from the public tier's "now" trees (src/public-tier.ts): a `snapshot`
// first, then an `update` with the new controlled body when a newer tree's body of the scope
// differs (by its ETag). Trees are built at most once per tick (PUBLIC_TICK_MS), so events follow
// the tick, never an individual change: the exact hub's timing, which would date events at a small
// trust, is not used here at all (this feed never reads the change log).
//
// Fan-out. This feed never waits for a build: at each tick it asks the tier to build the tick's
// tree (refresh, which has its own gate slot) and is told of every newer "now" tree built, whoever
// asked for it (onTree). Each tree is read once per scope with subscribers, and each frame is
// encoded once per scope, event and figures filter, however many subscribers get it.
//
// Cursors. An event's id is `tick:<tick>:<tag>`: the tree's tick and the ETag of the scope's body
// sent (what the subscriber holds). There is no history of controlled bodies: a resume with a
// public cursor gets the current body as an `update` if its ETag differs from the cursor's (one
// update, whatever happened in between), nothing otherwise. Any other cursor (a change-log cursor,
// or not a cursor) gets `reset` then a `snapshot`.
import { scopeKey, type Scope } from '@pulse/kpi';
import type { Logger } from '@pulse/logging';
import { ApiError } from '../errors.js';
import type { NowTree } from '../public-tier.js';
import type { Snapshot } from '../schemas/snapshot.js';
import { controlledFrame, heartbeatFrame, resetFrame, type Frame } from './frames.js';
import type { Subscription } from './hub.js';
import { NO_METRICS } from './metrics.js';
import {
  subscriberPool,
  type ConnectionSettings,
  type StreamConnection,
  type Subscriber,
} from './subscribers.js';

/** What the feed needs of the public tier (src/public-tier.ts). */
export interface PublicTrees {
  latest(): NowTree | undefined;
  refresh(): void;
  onTree(listener: (tree: NowTree) => void): () => void;
  readonly tickMs: number;
}

export interface PublicFeedOptions extends ConnectionSettings {
  tier: PublicTrees;
  /** The tier's clock (which tick it is). Heartbeats and lifetimes run on the wall clock. */
  now: () => number;
  logger: Logger;
  /** A heartbeat to every subscriber this often (default 15,000 ms). */
  heartbeatMs?: number;
}

export interface PublicSubscribeRequest {
  scope: Scope;
  /** For metrics: region, icb or trust. */
  kind: string;
  /** The figures wanted (undefined = all). */
  figures: readonly string[] | undefined;
  /** Last-Event-ID or ?since=: resume after this cursor. */
  resumeFrom: string | undefined;
  connection: StreamConnection;
}

export interface PublicFeed {
  subscribe(request: PublicSubscribeRequest): Subscription;
  /** Connections open now. */
  readonly connections: number;
  /** Ends every stream with a `disconnect` and stops. */
  close(): Promise<void>;
}

/** The longest wait between two asks for the tick's tree (a failed build is asked again). */
const RECHECK_MS = 5_000;

const PUBLIC_CURSOR = /^tick:(\d{1,15}):([A-Za-z0-9_-]{1,64})$/;

/** The public cursor of a scope's body in a tree: the tick and the body's ETag, unquoted. */
export function publicCursor(tick: number, etag: string): string {
  return `tick:${tick}:${tagOf(etag)}`;
}

const tagOf = (etag: string) => etag.replace(/^W\//, '').replaceAll('"', '');

/** A public cursor's tick and tag; undefined if `raw` is not one. */
export function parsePublicCursor(raw: string): { tick: number; tag: string } | undefined {
  const match = PUBLIC_CURSOR.exec(raw);
  return match ? { tick: Number(match[1]), tag: match[2]! } : undefined;
}

interface Sub {
  request: PublicSubscribeRequest;
  conn: Subscriber;
  filterKey: string;
  /** The tick and tag of the body it holds (undefined: it is owed a snapshot). */
  has: { tick: number; tag: string } | undefined;
}

/** A scope's frames of one tree, encoded once each. */
interface TreeFrames {
  tree: NowTree;
  tag: string;
  cursor: string;
  frames: Map<string, Frame>;
  json: string;
  body: () => Snapshot;
}

interface Topic {
  key: string;
  scope: Scope;
  subs: Set<Sub>;
  current: TreeFrames | undefined;
  heartbeat: NodeJS.Timeout;
}

export function createPublicFeed(options: PublicFeedOptions): PublicFeed {
  const { tier, now, logger } = options;
  const metrics = options.metrics ?? NO_METRICS;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const pool = subscriberPool(options);
  const topics = new Map<string, Topic>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const tickNow = () => Math.floor(now() / tier.tickMs);

  /** The scope's frames of `tree`, or undefined when the tree's structure lacks the scope. */
  function framesOf(topic: Topic, tree: NowTree): TreeFrames | undefined {
    if (topic.current?.tree === tree) return topic.current;
    let text: { json: string; etag: string };
    try {
      text = tree.text(topic.scope);
    } catch (err) {
      // Not in the structure of the tree's date (a scope ending at midnight): no event.
      if (err instanceof ApiError && err.code === 'NOT_IN_FORCE') return undefined;
      throw err;
    }
    topic.current = {
      tree,
      tag: tagOf(text.etag),
      cursor: publicCursor(tree.tick, text.etag),
      frames: new Map(),
      json: text.json,
      body: () => tree.snapshot(topic.scope).body,
    };
    return topic.current;
  }

  function frameOf(f: TreeFrames, event: 'snapshot' | 'update', sub: Sub): Frame {
    const key = `${event}:${sub.filterKey}`;
    let frame = f.frames.get(key);
    if (frame === undefined) {
      frame = controlledFrame(event, f.json, f.body, f.cursor, sub.request.figures);
      f.frames.set(key, frame);
    }
    return frame;
  }

  /** Sends `tree`'s body to each subscriber that does not hold it yet (or an older one). */
  function deliver(topic: Topic, tree: NowTree, subs: Iterable<Sub>): void {
    const f = framesOf(topic, tree);
    if (!f) return;
    for (const sub of subs) {
      const has = sub.has;
      if (has === undefined) {
        sub.conn.send(frameOf(f, 'snapshot', sub), 'snapshot');
      } else if (tree.tick >= has.tick && f.tag !== has.tag) {
        sub.conn.send(frameOf(f, 'update', sub), 'update');
      } else {
        has.tick = Math.max(has.tick, tree.tick);
        continue;
      }
      sub.has = { tick: tree.tick, tag: f.tag };
    }
  }

  function fanOut(tree: NowTree): void {
    if (closed) return;
    for (const topic of topics.values()) {
      try {
        deliver(topic, tree, topic.subs);
      } catch (err) {
        logger.warn({ err, scope: topic.key }, 'public stream: sending a new tree failed');
      }
    }
    // A tree of an older tick (its build was the one running when this tick's was asked for):
    // ask again now rather than at the next check.
    if (topics.size > 0 && tree.tick < tickNow()) tier.refresh();
  }

  const stopListening = tier.onTree(fanOut);

  /** While anyone subscribes: the tick's tree is asked for at each tick (and every RECHECK_MS). */
  function ask(): void {
    if (closed || topics.size === 0) {
      clearTimeout(timer);
      timer = undefined;
      return;
    }
    tier.refresh();
    if (timer) return;
    const untilTick = tier.tickMs - (now() % tier.tickMs);
    timer = setTimeout(
      () => {
        timer = undefined;
        ask();
      },
      Math.max(10, Math.min(untilTick, RECHECK_MS)),
    );
    timer.unref();
  }

  function topicOf(scope: Scope): Topic {
    const key = scopeKey(scope);
    let topic = topics.get(key);
    if (!topic) {
      const created: Topic = {
        key,
        scope,
        subs: new Set(),
        current: undefined,
        heartbeat: setInterval(() => beat(created), heartbeatMs),
      };
      created.heartbeat.unref();
      topics.set(key, created);
      topic = created;
    }
    return topic;
  }

  function beat(topic: Topic): void {
    const frame = heartbeatFrame(topic.current?.cursor ?? null, Date.now());
    for (const sub of topic.subs) sub.conn.send(frame, 'heartbeat');
  }

  function forget(sub: Sub): void {
    const topic = topics.get(scopeKey(sub.request.scope));
    if (!topic) return;
    topic.subs.delete(sub);
    if (topic.subs.size > 0) return;
    clearInterval(topic.heartbeat);
    topics.delete(topic.key);
  }

  return {
    subscribe(request) {
      const sub: Sub = {
        request,
        conn: pool.open(request.connection, { kind: request.kind, disclosure: 'controlled' }, () =>
          forget(sub),
        ),
        filterKey: request.figures?.join(',') ?? '*',
        has: undefined,
      };
      if (request.resumeFrom !== undefined) {
        const cursor = parsePublicCursor(request.resumeFrom);
        // A cursor of a tick not begun is none this feed sent.
        if (cursor && cursor.tick <= tickNow() + 1) {
          sub.has = cursor;
          metrics.resumed('exact');
        } else {
          sub.conn.send(
            resetFrame(
              'cursor-malformed',
              'not a cursor of the public (disclosure-controlled) feed: a change-log cursor ' +
                'resumes only where the scope is seen exactly; a fresh snapshot follows',
            ),
            'reset',
          );
          metrics.resumed('reset');
        }
      }
      const topic = topicOf(request.scope);
      topic.subs.add(sub);
      const tree = tier.latest();
      if (tree) deliver(topic, tree, [sub]);
      ask();
      return { close: () => sub.conn.forget() };
    },

    get connections() {
      return pool.size;
    },

    async close() {
      if (closed) return;
      closed = true;
      stopListening();
      clearTimeout(timer);
      for (const topic of [...topics.values()]) {
        for (const sub of [...topic.subs]) {
          sub.conn.drop(
            'shutdown',
            'the server is shutting down; resume with Last-Event-ID on another',
          );
        }
        clearInterval(topic.heartbeat);
      }
      topics.clear();
    },
  };
}
