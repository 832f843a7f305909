// A subscriber's end of the hub: keeps every frame, parsed as an SSE client would.
import type { StreamConnection } from '../../src/stream/hub.js';

export interface ReceivedEvent {
  event: string;
  id: string | undefined;
  data: Record<string, unknown>;
  receivedAt: number;
}

export interface FakeConnection extends StreamConnection {
  events: ReceivedEvent[];
  retry: number | undefined;
  ended: boolean;
  /** What buffered() answers. */
  backlog: number;
  /** The last id seen, as an EventSource keeps it. */
  lastEventId(): string | undefined;
  named(event: string): ReceivedEvent[];
}

export function fakeConnection(): FakeConnection {
  const connection: FakeConnection = {
    events: [],
    retry: undefined,
    ended: false,
    backlog: 0,
    write(frame) {
      if (connection.ended) throw new Error('write after end');
      for (const block of frame.toString('utf8').split('\n\n')) {
        if (block === '') continue;
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          const colon = line.indexOf(': ');
          fields.set(line.slice(0, colon), line.slice(colon + 2));
        }
        if (fields.has('retry')) connection.retry = Number(fields.get('retry'));
        if (!fields.has('event')) continue;
        connection.events.push({
          event: fields.get('event')!,
          id: fields.get('id'),
          data: JSON.parse(fields.get('data')!) as Record<string, unknown>,
          receivedAt: Date.now(),
        });
      }
    },
    buffered: () => connection.backlog,
    end(frame) {
      connection.write(frame);
      connection.ended = true;
    },
    lastEventId() {
      return connection.events.findLast((e) => e.id !== undefined)?.id;
    },
    named(event) {
      return connection.events.filter((e) => e.event === event);
    },
  };
  return connection;
}
