// A subscriber's connection as both push feeds keep it (the exact hub, hub.ts, and the public
// feed, public-feed.ts): the `retry:` hint first; each frame written unless the subscriber has
// fallen more than maxBufferBytes behind (then `disconnect` slow-consumer and dropped); ended with
// `disconnect` max-lifetime after about maxLifetimeMs; counted in the metrics while open.
import { disconnectFrame, retryFrame, type DisconnectReason, type Frame } from './frames.js';
import type { StreamEventName } from './frames.js';
import { NO_METRICS, type StreamDisclosure, type StreamMetrics } from './metrics.js';

/** Where a feed writes one subscriber's frames (the HTTP response, in the plugin). */
export interface StreamConnection {
  write(frame: Frame): void;
  /** Bytes written but not yet taken by the socket. */
  buffered(): number;
  /** Writes the frame and ends the response. */
  end(frame: Frame): void;
}

export interface ConnectionSettings {
  metrics?: StreamMetrics;
  /** A subscriber with more than this many bytes not yet sent is disconnected (default 1 MiB). */
  maxBufferBytes?: number;
  /** A connection is ended after about this long (default 1 h; up to 10% earlier, spread). */
  maxLifetimeMs?: number;
  /** The reconnection delay suggested to clients (default 2,000 ms). */
  retryMs?: number;
  /** Random number in [0, 1) spreading lifetimes (default Math.random). */
  random?: () => number;
}

export interface Subscriber {
  readonly closed: boolean;
  /** Writes the frame, or drops a subscriber too far behind. */
  send(frame: Frame, event: StreamEventName): void;
  /** Ends the stream with a `disconnect` saying why. */
  drop(reason: DisconnectReason, detail: string): void;
  /** The client went away: stop writing. */
  forget(): void;
}

export interface SubscriberPool {
  /** A new subscriber; `gone` is called once when it closes, however it closes. */
  open(
    connection: StreamConnection,
    labels: { kind: string; disclosure: StreamDisclosure },
    gone: () => void,
  ): Subscriber;
  /** Subscribers open now. */
  readonly size: number;
}

export function subscriberPool(settings: ConnectionSettings): SubscriberPool {
  const metrics = settings.metrics ?? NO_METRICS;
  const maxBufferBytes = settings.maxBufferBytes ?? 1024 * 1024;
  const maxLifetimeMs = settings.maxLifetimeMs ?? 60 * 60_000;
  const retryMs = settings.retryMs ?? 2_000;
  const random = settings.random ?? Math.random;
  let size = 0;

  return {
    open(connection, { kind, disclosure }, gone) {
      let closed = false;
      size += 1;
      metrics.subscriberAdded(kind, disclosure);
      const forget = () => {
        if (closed) return;
        closed = true;
        size -= 1;
        clearTimeout(lifetime);
        metrics.subscriberRemoved(kind, disclosure);
        gone();
      };
      const subscriber: Subscriber = {
        get closed() {
          return closed;
        },
        send(frame, event) {
          if (closed) return;
          if (connection.buffered() + frame.length > maxBufferBytes) {
            subscriber.drop(
              'slow-consumer',
              `more than ${maxBufferBytes} bytes were waiting to be sent; resume with Last-Event-ID`,
            );
            return;
          }
          connection.write(frame);
          metrics.eventSent(event);
        },
        drop(reason, detail) {
          if (closed) return;
          forget();
          metrics.disconnected(reason);
          connection.end(disconnectFrame(reason, detail));
          metrics.eventSent('disconnect');
        },
        forget,
      };
      const lifetime = setTimeout(
        () =>
          subscriber.drop(
            'max-lifetime',
            'the connection reached its maximum lifetime; resume with Last-Event-ID',
          ),
        Math.round(maxLifetimeMs * (1 - random() / 10)),
      );
      lifetime.unref();
      connection.write(retryFrame(retryMs));
      return subscriber;
    },
    get size() {
      return size;
    },
  };
}
