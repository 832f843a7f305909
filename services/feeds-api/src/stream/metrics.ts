// The push feed's metrics, on the service's Prometheus registry (served by /metrics).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Which feed serves a subscriber: the exact hub, or the public tier's controlled feed. */
export type StreamDisclosure = 'exact' | 'controlled';

export interface StreamMetrics {
  subscriberAdded(kind: string, disclosure: StreamDisclosure): void;
  subscriberRemoved(kind: string, disclosure: StreamDisclosure): void;
  eventSent(event: string): void;
  /** A resume served exactly, or answered with a reset and a fresh snapshot. */
  resumed(outcome: 'exact' | 'reset'): void;
  disconnected(reason: string): void;
  /** Connections refused by a limit. */
  refused(limit: 'total' | 'per-client'): void;
  /** Seconds from a change's apply in Redis to the update that carries it being written. */
  delivered(seconds: number): void;
}

export const NO_METRICS: StreamMetrics = {
  subscriberAdded() {},
  subscriberRemoved() {},
  eventSent() {},
  resumed() {},
  disconnected() {},
  refused() {},
  delivered() {},
};

export function createStreamMetrics(registry: Registry, prefix: string): StreamMetrics {
  const registers = [registry];
  const subscribers = new Gauge({
    name: `${prefix}stream_subscribers`,
    help:
      'Push-feed connections open now, by scope kind and disclosure (exact, or controlled: the ' +
      'public tier below national level).',
    labelNames: ['kind', 'disclosure'],
    registers,
  });
  const events = new Counter({
    name: `${prefix}stream_events_sent_total`,
    help: 'Push-feed events written, by event name.',
    labelNames: ['event'],
    registers,
  });
  const resumes = new Counter({
    name: `${prefix}stream_resumes_total`,
    help: 'Resumes (Last-Event-ID or since=) served exactly, or answered with reset + snapshot.',
    labelNames: ['outcome'],
    registers,
  });
  const disconnects = new Counter({
    name: `${prefix}stream_disconnects_total`,
    help: 'Push-feed connections ended by the server, by reason (slow-consumer, max-lifetime, shutdown).',
    labelNames: ['reason'],
    registers,
  });
  const refusals = new Counter({
    name: `${prefix}stream_refused_total`,
    help: 'Push-feed connections refused by a connection limit (total or per-client).',
    labelNames: ['limit'],
    registers,
  });
  const delivery = new Histogram({
    name: `${prefix}stream_delivery_seconds`,
    help:
      'From a change being applied in Redis to the update carrying it being written to subscribers ' +
      '(coalescing wait included).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5, 10],
    registers,
  });
  return {
    subscriberAdded: (kind, disclosure) => subscribers.inc({ kind, disclosure }),
    subscriberRemoved: (kind, disclosure) => subscribers.dec({ kind, disclosure }),
    eventSent: (event) => events.inc({ event }),
    resumed: (outcome) => resumes.inc({ outcome }),
    disconnected: (reason) => disconnects.inc({ reason }),
    refused: (limit) => refusals.inc({ limit }),
    delivered: (seconds) => delivery.observe(seconds),
  };
}
