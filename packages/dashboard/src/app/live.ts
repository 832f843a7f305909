// The live figures of one scope: the API's push feed (server-sent events) read with
// @microsoft/fetch-event-source, because the browser's EventSource cannot send the
// Authorization header a token needs. The library keeps the last event id and sends it as
// Last-Event-ID on every reconnect, so the server resumes with exactly the changes missed (no
// second snapshot). Without a token, a stream below England is the public, disclosure-controlled
// one (updates at most once per the API's public tick). A refused stream (403: an API from before
// public streams below England) falls back to polling the snapshot, and the page says so.
import { fetchEventSource, type EventSourceMessage } from '@microsoft/fetch-event-source';
import { getSnapshot, scopePath, type ScopeRef } from './api.js';
import type { Snapshot } from './figures.js';

export type FeedState =
  | { kind: 'connecting' }
  | { kind: 'live'; since: number }
  | { kind: 'reconnecting'; attempt: number; reason: string }
  | { kind: 'stale'; lastEventAt: number }
  | { kind: 'polling'; reason: string; everyMs: number }
  | { kind: 'failed'; reason: string };

export interface FeedOptions {
  scope: ScopeRef;
  token: string | null;
  onSnapshot(snapshot: Snapshot): void;
  onState(state: FeedState): void;
  /** No event (heartbeats included) for this long while connected: stale (default 40 s). */
  staleAfterMs?: number;
  pollEveryMs?: number;
}

/** Thrown from onopen: the server refused the stream; no retry. */
class Refused extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** Opens the scope's feed; returns a function that closes it. */
export function openFeed(options: FeedOptions): () => void {
  const { scope, token, onSnapshot, onState } = options;
  const staleAfterMs = options.staleAfterMs ?? 40_000;
  const pollEveryMs = options.pollEveryMs ?? 15_000;
  const abort = new AbortController();
  let lastEventAt = Date.now();
  let attempt = 0;
  let connected = false;
  let pollTimer: ReturnType<typeof setInterval> | undefined;

  const watchdog = setInterval(() => {
    if (connected && Date.now() - lastEventAt > staleAfterMs)
      onState({ kind: 'stale', lastEventAt });
  }, 1_000);

  const poll = (reason: string) => {
    onState({ kind: 'polling', reason, everyMs: pollEveryMs });
    const once = () =>
      getSnapshot(scope, token).then(onSnapshot, (err: Error) =>
        onState({ kind: 'failed', reason: err.message }),
      );
    void once();
    pollTimer = setInterval(() => {
      if (!abort.signal.aborted)
        void once().then(() => onState({ kind: 'polling', reason, everyMs: pollEveryMs }));
    }, pollEveryMs);
  };

  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  onState({ kind: 'connecting' });
  fetchEventSource(`${scopePath(scope)}/stream`, {
    headers,
    signal: abort.signal,
    openWhenHidden: true,
    async onopen(response) {
      const type = response.headers.get('content-type') ?? '';
      if (response.ok && type.startsWith('text/event-stream')) {
        connected = true;
        attempt = 0;
        lastEventAt = Date.now();
        onState({ kind: 'live', since: lastEventAt });
        return;
      }
      const problem = (await response.json().catch(() => ({}))) as { detail?: string };
      if (response.status === 401 || response.status === 403 || response.status === 404)
        throw new Refused(response.status, problem.detail ?? response.statusText);
      throw new Error(`stream answered ${response.status}`);
    },
    onmessage(message: EventSourceMessage) {
      lastEventAt = Date.now();
      if (message.event === 'snapshot' || message.event === 'update') {
        onSnapshot(JSON.parse(message.data) as Snapshot);
      }
      onState({ kind: 'live', since: lastEventAt });
    },
    onclose() {
      // The server ended the stream (lifetime, shutdown, slow consumer): resume from the cursor.
      throw new Error('the server closed the stream');
    },
    onerror(err: unknown) {
      connected = false;
      if (err instanceof Refused) throw err;
      attempt += 1;
      onState({
        kind: 'reconnecting',
        attempt,
        reason: err instanceof Error ? err.message : String(err),
      });
      // The server's retry: hint, backing off to 10 s after repeated failures.
      return Math.min(10_000, 1_000 * attempt);
    },
  }).catch((err: unknown) => {
    connected = false;
    if (abort.signal.aborted) return;
    if (err instanceof Refused && err.status === 403) {
      poll(err.message);
    } else {
      onState({ kind: 'failed', reason: err instanceof Error ? err.message : String(err) });
    }
  });

  return () => {
    abort.abort();
    clearInterval(watchdog);
    if (pollTimer) clearInterval(pollTimer);
  };
}
