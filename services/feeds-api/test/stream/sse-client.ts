// A standard SSE client no one here wrote (the `eventsource` npm package) pointed at a stream,
// keeping every event it receives. Its requests go to `target.base`, which a test can move to
// another server: the client's own reconnects (with Last-Event-ID) then land there.
import { nationalAuth } from '../helpers.js';
import { EventSource } from 'eventsource';

export const STREAM_EVENTS = ['snapshot', 'update', 'heartbeat', 'reset', 'disconnect'] as const;

export interface ClientEvent {
  event: string;
  /** The client's last event id after this event (EventSource keeps the previous one). */
  lastEventId: string;
  data: Record<string, unknown>;
}

export interface StreamClient {
  events: ClientEvent[];
  /** Where requests go: an origin like http://127.0.0.1:1234. */
  target: { base: string };
  /** Requests made (the first connection, then one per reconnect), with their Last-Event-ID. */
  requests: { url: string; lastEventId: string | null }[];
  named(event: string): ClientEvent[];
  close(): void;
}

export function openStream(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): StreamClient {
  const target = { base };
  const client: StreamClient = {
    events: [],
    target,
    requests: [],
    named: (event) => client.events.filter((e) => e.event === event),
    close: () => source.close(),
  };
  const source = new EventSource(`http://stream.invalid${path}`, {
    fetch: async (url, init) => {
      const moved = String(url).replace('http://stream.invalid', target.base);
      const sent = new Headers(init?.headers as Record<string, string>);
      client.requests.push({ url: moved, lastEventId: sent.get('last-event-id') });
      // A national token unless told otherwise, as the helpers' get() sends (`''`: none).
      sent.set('authorization', await nationalAuth());
      for (const [name, value] of Object.entries(headers)) sent.set(name, value);
      if (sent.get('authorization') === '') sent.delete('authorization');
      return fetch(moved, { ...init, headers: sent });
    },
  });
  for (const name of STREAM_EVENTS) {
    source.addEventListener(name, (message) => {
      client.events.push({
        event: name,
        lastEventId: message.lastEventId,
        data: JSON.parse(message.data as string) as Record<string, unknown>,
      });
    });
  }
  return client;
}
