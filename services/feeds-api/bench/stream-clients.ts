// The stream benchmark's subscribers: one process holding thousands of SSE connections over
// loopback (node:http, one socket each), reading each event's timing fields without parsing its
// whole JSON. Driven over IPC by bench/stream.ts:
//   parent → {type: 'connect', base, targets: [{path, kind, count}]}  → {type: 'connected', ...}
//   parent → {type: 'window'}  (forget the latencies so far: measure from now)
//   parent → {type: 'report'}  → {type: 'report', stats}
import { request, type ClientRequest } from 'node:http';

interface Target {
  path: string;
  kind: string;
  count: number;
}

type Message =
  | { type: 'connect'; base: string; token: string; targets: Target[]; coalesceMs: number }
  | { type: 'window' }
  | { type: 'report' };

export interface KindStats {
  connections: number;
  events: Record<string, number>;
  bytes: number;
  /** ms: received − the newest change's apply time (update events). */
  delivery: number[];
  /** ms: received − the newest emittedAt of the events applied (update events). */
  freshness: number[];
  /**
   * ms: how long the coalescing interval held the update's newest change at least: the previous
   * event's `asOf` + STREAM_COALESCE_MS − the newest change's apply time, when positive. A lower
   * bound (the previous event was read at `asOf` and written after it).
   */
  hold: number[];
  /** ms: delivery − hold of the same update: the part not due to coalescing (over-stated). */
  afterHold: number[];
  /** ms: freshness − hold of the same update. */
  freshAfterHold: number[];
}

const kinds = new Map<string, KindStats>();
const requests: ClientRequest[] = [];
let open = 0;
let ended = 0;
let failed = 0;
/** Refused connections by HTTP status, to say why they failed. */
const refused: Record<string, number> = {};

function statsOf(kind: string): KindStats {
  let s = kinds.get(kind);
  if (!s) {
    s = {
      connections: 0,
      events: {},
      bytes: 0,
      delivery: [],
      freshness: [],
      hold: [],
      afterHold: [],
      freshAfterHold: [],
    };
    kinds.set(kind, s);
  }
  return s;
}

/** The instant after `"name":"` in text, from `from` on; NaN if absent or null. */
function instantAfter(text: string, name: string, from: number): number {
  const at = text.indexOf(`"${name}":"`, from);
  if (at < 0) return NaN;
  const start = at + name.length + 4;
  return Date.parse(text.slice(start, text.indexOf('"', start)));
}

let coalesceMs = 0;

/** One connection's events; `asOf` is the last snapshot's or update's (NaN before one). */
interface Stream {
  stats: KindStats;
  asOf: number;
}

function onEvent(stream: Stream, block: string, received: number): void {
  const { stats } = stream;
  const eventAt = block.indexOf('event: ');
  const name = eventAt < 0 ? 'message' : block.slice(eventAt + 7, block.indexOf('\n', eventAt));
  stats.events[name] = (stats.events[name] ?? 0) + 1;
  if (name !== 'update' && name !== 'snapshot') return;
  const previousAsOf = stream.asOf;
  stream.asOf = instantAfter(block, 'asOf', 0);
  if (name !== 'update') return;
  const tail = block.lastIndexOf('"appliedAt"');
  if (tail >= 0) {
    const applied = instantAfter(block, 'newest', tail);
    const emitted = instantAfter(block, 'newestEmittedAt', tail);
    if (Number.isNaN(applied)) return;
    stats.delivery.push(received - applied);
    if (!Number.isNaN(emitted)) stats.freshness.push(received - emitted);
    if (Number.isNaN(previousAsOf)) return;
    const hold = Math.max(0, previousAsOf + coalesceMs - applied);
    stats.hold.push(hold);
    stats.afterHold.push(received - applied - hold);
    if (!Number.isNaN(emitted)) stats.freshAfterHold.push(received - emitted - hold);
    return;
  }
  const sent = block.indexOf('"sentAt":');
  if (sent >= 0)
    stats.delivery.push(received - Number(block.slice(sent + 9, block.indexOf(',', sent))));
}

function connect(base: string, token: string, target: Target): Promise<void> {
  const stats = statsOf(target.kind);
  const stream: Stream = { stats, asOf: NaN };
  return new Promise((resolve) => {
    const req = request(`${base}${target.path}`, {
      agent: false,
      headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    });
    requests.push(req);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        failed += 1;
        refused[String(res.statusCode)] = (refused[String(res.statusCode)] ?? 0) + 1;
        res.resume();
        resolve();
        return;
      }
      open += 1;
      stats.connections += 1;
      // Every byte the timings are read from is ASCII: latin1 decodes cheaper than UTF-8.
      res.setEncoding('latin1');
      let buffer = '';
      let first = true;
      res.on('data', (chunk: string) => {
        const received = Date.now();
        stats.bytes += chunk.length;
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes('event: ') || block.includes('data: ')) {
            onEvent(stream, block, received);
            if (first) {
              first = false;
              resolve();
            }
          }
          end = buffer.indexOf('\n\n');
        }
      });
      res.on('close', () => {
        open -= 1;
        ended += 1;
      });
    });
    req.on('error', () => {
      failed += 1;
      resolve();
    });
    req.end();
  });
}

process.on('message', (message: Message) => {
  if (message.type === 'connect') {
    coalesceMs = message.coalesceMs;
    void (async () => {
      const all = message.targets.flatMap((t) => Array.from({ length: t.count }, () => t));
      // In waves, each waiting for its first events, so the server is not flooded with handshakes.
      for (let i = 0; i < all.length; i += 250) {
        await Promise.all(
          all.slice(i, i + 250).map((t) => connect(message.base, message.token, t)),
        );
      }
      process.send!({ type: 'connected', open, failed, refused });
    })();
  } else if (message.type === 'window') {
    for (const s of kinds.values()) {
      s.delivery = [];
      s.freshness = [];
      s.hold = [];
      s.afterHold = [];
      s.freshAfterHold = [];
      s.events = {};
      s.bytes = 0;
    }
    ended = 0;
  } else {
    process.send!({ type: 'report', open, ended, failed, kinds: Object.fromEntries(kinds) });
  }
});

process.on('disconnect', () => {
  for (const req of requests) req.destroy();
  process.exit(0);
});
