// Builds test events with sensible defaults; only the fields a test cares about are given.
import type { ActivityEvent, AgeBand, EventOf, EventType, PayloadOf } from '@pulse/contracts';

let next = 0;

export const T0 = Date.parse('2026-06-10T12:00:00Z');

export function event<T extends EventType>(
  eventType: T,
  payload: PayloadOf<T>,
  envelope: Partial<{
    eventId: string;
    providerOds: string;
    siteOds: string | null;
    occurredAt: number;
    ageBand: AgeBand;
  }> = {},
): EventOf<T> {
  next += 1;
  const occurredAt = envelope.occurredAt ?? T0;
  return {
    eventId: envelope.eventId ?? `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
    eventType,
    providerOds: envelope.providerOds ?? 'RGT',
    siteOds: envelope.siteOds ?? null,
    occurredAt,
    emittedAt: occurredAt,
    ageBand: envelope.ageBand ?? 'AGE_18_64',
    subjectRef: null,
    payload,
  } as ActivityEvent as EventOf<T>;
}
