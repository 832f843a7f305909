// The push feed's wire format: server-sent event frames (WHATWG HTML "server-sent events"),
// built once per event and written as-is to every subscriber that gets it: a Buffer, so its UTF-8
// encoding is done once, not once per socket written to. JSON.stringify never emits a raw line
// break, so every payload is one `data:` line.
import type { Snapshot } from '../schemas/snapshot.js';
import { changeId, type LoggedChange } from './change-log.js';
import { narrowSnapshot } from './figures-filter.js';

export type StreamEventName = 'snapshot' | 'update' | 'heartbeat' | 'reset' | 'disconnect';

/** One encoded SSE frame, written unchanged to every subscriber it is for. */
export type Frame = Buffer;

/** One SSE frame; `id` sets the client's last event id (the cursor to resume from). */
export function sseFrame(event: StreamEventName, data: unknown, id?: string): Frame {
  return jsonFrame(event, JSON.stringify(data), id);
}

/** One SSE frame of data already encoded as JSON (one line). */
function jsonFrame(event: StreamEventName, json: string, id?: string): Frame {
  return Buffer.from(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${json}\n\n`);
}

/** The reconnection delay a client should use, sent first on every stream. */
export function retryFrame(ms: number): Frame {
  return Buffer.from(`retry: ${ms}\n\n`);
}

export function snapshotFrame(
  snapshot: Snapshot,
  cursor: string,
  figures: readonly string[] | undefined,
): Frame {
  const body = figures ? narrowSnapshot(snapshot, figures) : snapshot;
  return sseFrame('snapshot', { ...(body as object), cursor }, cursor);
}

/** An update: the scope's figures now, and the log entries they newly account for. */
export function updateFrame(
  snapshot: Snapshot,
  cursor: string,
  changes: readonly LoggedChange[],
  figures: readonly string[] | undefined,
): Frame {
  const body = figures ? narrowSnapshot(snapshot, figures) : snapshot;
  let oldest = Infinity;
  let newest = -Infinity;
  let emitted = -Infinity;
  for (const change of changes) {
    oldest = Math.min(oldest, change.at);
    newest = Math.max(newest, change.at);
    if (change.emittedAt !== undefined) emitted = Math.max(emitted, change.emittedAt);
  }
  return sseFrame(
    'update',
    {
      ...(body as object),
      cursor,
      changes: changes.map(changeId),
      appliedAt: { oldest: new Date(oldest).toISOString(), newest: new Date(newest).toISOString() },
      newestEmittedAt: emitted === -Infinity ? null : new Date(emitted).toISOString(),
    },
    cursor,
  );
}

/**
 * The public feed's snapshot or update: a disclosure-controlled body, as its tree holds it (JSON
 * text, written as it is unless `figures=` narrows it), and the public cursor it reflects.
 */
export function controlledFrame(
  event: 'snapshot' | 'update',
  json: string,
  body: () => Snapshot,
  cursor: string,
  figures: readonly string[] | undefined,
): Frame {
  const data = figures
    ? JSON.stringify({ ...(narrowSnapshot(body(), figures) as object), cursor })
    : `${json.slice(0, json.lastIndexOf('}'))},"cursor":${JSON.stringify(cursor)}}`;
  return jsonFrame(event, data, cursor);
}

export function heartbeatFrame(head: string | null, at: number, id?: string): Frame {
  return sseFrame('heartbeat', { head, at: new Date(at).toISOString() }, id);
}

export type ResetReason = 'cursor-expired' | 'cursor-malformed' | 'feed-interrupted';

export function resetFrame(reason: ResetReason, detail: string): Frame {
  return sseFrame('reset', { reason, detail });
}

export type DisconnectReason = 'slow-consumer' | 'max-lifetime' | 'shutdown';

export function disconnectFrame(reason: DisconnectReason, detail: string): Frame {
  return sseFrame('disconnect', { reason, detail });
}
