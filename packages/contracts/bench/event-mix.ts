// A realistic mix of v1 events for benchmarks: roughly the share of each type a trust emits in
// a day (A&E arrivals and departures dominate), with distinct ids, pseudonyms and times.
import { EXAMPLE_EVENTS, type ActivityEvent, type EventType } from '../src/index.js';

const SHARE: Readonly<Record<EventType, number>> = {
  ED_ARRIVAL: 24,
  ED_DEPARTURE: 24,
  AMBULANCE_HANDOVER: 8,
  ADMISSION: 10,
  CRITERIA_TO_RESIDE_CHANGED: 8,
  DISCHARGE: 10,
  BED_STATE: 4,
  RTT_CLOCK_START: 6,
  RTT_CLOCK_STOP: 6,
};

const PROVIDERS = ['RGT', 'RJ1', 'R0A', 'RRK', 'RTH', 'RX1', 'RYJ', 'RVV'];
const BANDS = [
  'AGE_0_4',
  'AGE_5_17',
  'AGE_18_64',
  'AGE_18_64',
  'AGE_65_84',
  'AGE_85_PLUS',
] as const;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

/** `count` events, deterministic, in the SHARE proportions. */
export function eventMix(count: number): ActivityEvent[] {
  const deck = (Object.entries(SHARE) as [EventType, number][]).flatMap(([type, n]) =>
    Array<EventType>(n).fill(type),
  );
  const events: ActivityEvent[] = [];
  for (let i = 0; i < count; i++) {
    const type = deck[(i * 37) % deck.length]!;
    const example = EXAMPLE_EVENTS[type];
    const shift = (i % 1440) * 60_000;
    const provider = PROVIDERS[i % PROVIDERS.length]!;
    const payload = { ...example.payload } as Record<string, unknown>;
    for (const key of Object.keys(payload)) {
      const value = payload[key];
      if (key.endsWith('At') && typeof value === 'number') payload[key] = value + shift;
      else if (key.endsWith('Id')) payload[key] = `${String(value)}-${i}`;
    }
    events.push({
      ...example,
      eventId: `${hex(i, 8)}-6c1b-4c57-9d0e-${hex(i * 7919, 12)}`,
      providerOds: provider,
      siteOds: example.siteOds === null ? null : `${provider}01`,
      occurredAt: example.occurredAt + shift,
      emittedAt: example.emittedAt + shift,
      ageBand: type === 'BED_STATE' ? 'UNKNOWN' : BANDS[i % BANDS.length]!,
      // 64 hex digits, the form of an HMAC-SHA-256 pseudonym.
      subjectRef: example.subjectRef === null ? null : hex(i * 104729, 16).repeat(4),
      payload,
    } as unknown as ActivityEvent);
  }
  return events;
}
