// The stream benchmark's baseline: a bare SSE endpoint on node:http sending the same volume as
// the feed did (per connection, one event per second of the size the feed's updates had for its
// scope kind), stamped with the time it was sent. No change log, no Redis, no fan-out logic;
// each frame encoded once and written the way the feed writes (src/stream/response-connection.ts).
//   PORT=… SIZES='{"england":4600,…}' node --import tsx bench/bare-sse.ts
import { createServer } from 'node:http';
import { responseConnection } from '../src/stream/response-connection.js';
import type { StreamConnection } from '../src/stream/subscribers.js';

const sizes = JSON.parse(process.env['SIZES'] ?? '{}') as Record<string, number>;
const port = Number(process.env['PORT'] ?? 0);
/** Connections by kind; each gets an event every second, spread over ten 100 ms slots. */
const slots: Set<StreamConnection>[] = Array.from({ length: 10 }, () => new Set());
const kindOf = new Map<StreamConnection, string>();
let joined = 0;

const server = createServer((req, res) => {
  const kind = /^\/bare\/([a-z]+)/.exec(req.url ?? '')?.[1];
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  if (!kind || !(kind in sizes)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const connection = responseConnection(res);
  connection.write(Buffer.from('retry: 2000\n\n'));
  const slot = slots[joined++ % slots.length]!;
  slot.add(connection);
  kindOf.set(connection, kind);
  connection.write(Buffer.from(`event: snapshot\ndata: {}\n\n`));
  res.on('close', () => {
    slot.delete(connection);
    kindOf.delete(connection);
  });
});

let tick = 0;
setInterval(() => {
  const slot = slots[tick++ % slots.length]!;
  const frames = new Map<string, Buffer>();
  const sentAt = Date.now();
  for (const connection of slot) {
    const kind = kindOf.get(connection)!;
    let frame = frames.get(kind);
    if (frame === undefined) {
      const pad = 'x'.repeat(Math.max(0, sizes[kind]! - 60));
      frame = Buffer.from(
        `id: ${sentAt}\nevent: update\ndata: {"sentAt":${sentAt},"pad":"${pad}"}\n\n`,
      );
      frames.set(kind, frame);
    }
    connection.write(frame);
  }
}, 100);

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
