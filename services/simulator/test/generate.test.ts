import { createCodec, validateEvent, type ActivityEvent, type EventOf } from '@pulse/contracts';
import { londonDateOf, londonDaySpan } from '@pulse/refdata';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/generate/rng.js';
import { collect, FEW_TRUSTS, windowOf } from './helpers.js';

const small = (seed: string) =>
  windowOf('2026-11-23T06:00:00Z', '2026-11-23T12:00:00Z', { seed, ods: FEW_TRUSTS });

describe('generateActivity', () => {
  it('should give the same stream for the same seed', () => {
    expect(collect(small('a'))).toEqual(collect(small('a')));
  });

  it('should give a different stream for a different seed', () => {
    const a = collect(small('a'));
    const b = collect(small('b'));
    expect(a.length).toBeGreaterThan(1000);
    expect(b.map((e) => e.eventId)).not.toEqual(a.map((e) => e.eventId));
  });

  it('should not change a trust by which other trusts are simulated', () => {
    const alone = collect(
      windowOf('2026-11-23T06:00:00Z', '2026-11-23T09:00:00Z', { ods: ['RGT'] }),
    );
    const together = collect(
      windowOf('2026-11-23T06:00:00Z', '2026-11-23T09:00:00Z', { ods: FEW_TRUSTS }),
    ).filter((e) => e.providerOds === 'RGT');
    expect(together).toEqual(alone);
  });

  it('should yield events in occurredAt order inside [from, to), the RTT list just before', () => {
    const options = small('order');
    const events = collect(options);
    const listAt = londonDaySpan(londonDateOf(options.from)).start - 1;
    events.forEach((e, i) => {
      if (e.occurredAt < options.from) {
        // The seeded waiting list: before the London day, or on it at the pathway's own start.
        expect(e.eventType).toBe('RTT_CLOCK_START');
        expect(e.occurredAt).toBeGreaterThanOrEqual(listAt);
      }
      expect(e.occurredAt).toBeLessThan(options.to);
      if (i > 0) expect(e.occurredAt).toBeGreaterThanOrEqual(events[i - 1]!.occurredAt);
    });
  });

  it("should count only the day's own RTT clock starts on the first day (regression: 149,221)", () => {
    // A whole London day from midnight: the seeded list lands on the day before.
    const options = windowOf('2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z', {
      seed: 'rtt-day',
      ods: FEW_TRUSTS,
      rttScale: 0.02,
    });
    const events = collect(options);
    const starts = events.filter(
      (e): e is EventOf<'RTT_CLOCK_START'> => e.eventType === 'RTT_CLOCK_START',
    );
    const seeded = starts.filter((e) => e.occurredAt < options.from);
    const today = starts.filter((e) => e.occurredAt >= options.from);
    // Every start of the day is a clock that started that day, and there are about a day's worth.
    for (const e of today) expect(e.payload.clockStartAt).toBe(e.occurredAt);
    expect(seeded.length).toBeGreaterThan(50 * today.length);
    expect(today.length).toBeGreaterThan(seeded.length / 400);
    expect(today.length).toBeLessThan(seeded.length / 60);
  });

  it("should start mid-day with that day's earlier clock starts at their own instants", () => {
    const options = small('rtt-midday');
    const midnight = londonDaySpan(londonDateOf(options.from)).start;
    const ownDay = collect(options).filter(
      (e): e is EventOf<'RTT_CLOCK_START'> =>
        e.eventType === 'RTT_CLOCK_START' &&
        e.occurredAt >= midnight &&
        e.occurredAt < options.from,
    );
    expect(ownDay.length).toBeGreaterThan(0);
    for (const e of ownDay) expect(e.payload.clockStartAt).toBe(e.occurredAt);
  });

  it('should emit paired events after their opening event', () => {
    const events = collect(small('pairs'));
    const arrivals = new Map<string, number>();
    const admissions = new Map<string, number>();
    const starts = new Map<string, number>();
    for (const e of events) {
      switch (e.eventType) {
        case 'ED_ARRIVAL':
          arrivals.set(e.payload.attendanceId, e.occurredAt);
          break;
        case 'ED_DEPARTURE': {
          const arrived = arrivals.get(e.payload.attendanceId);
          // Arrivals before the window (the warm-up) are not sent; those seen must match.
          if (arrived !== undefined) expect(e.payload.arrivedAt).toBe(arrived);
          expect(e.occurredAt).toBeGreaterThanOrEqual(e.payload.arrivedAt);
          break;
        }
        case 'ADMISSION':
          admissions.set(e.payload.spellId, e.occurredAt);
          break;
        case 'DISCHARGE': {
          const admitted = admissions.get(e.payload.spellId);
          if (admitted !== undefined) expect(e.payload.admittedAt).toBe(admitted);
          expect(e.occurredAt).toBeGreaterThan(e.payload.admittedAt);
          break;
        }
        case 'RTT_CLOCK_START':
          starts.set(e.payload.pathwayId, e.payload.clockStartAt);
          break;
        case 'RTT_CLOCK_STOP':
          expect(starts.get(e.payload.pathwayId)).toBe(e.payload.clockStartAt);
          break;
      }
    }
    const admittedFromEd = events.filter(
      (e) => e.eventType === 'ED_DEPARTURE' && e.payload.disposal === 'ADMITTED',
    );
    expect(admittedFromEd.length).toBeGreaterThan(10);
  });

  it('should admit every patient an ED departure says was admitted, at the same instant', () => {
    const events = collect(small('admit'));
    const emergencyAt = new Map<string, number>();
    for (const e of events) {
      if (e.eventType === 'ADMISSION' && e.payload.method === 'EMERGENCY') {
        emergencyAt.set(`${e.subjectRef}@${e.occurredAt}`, e.occurredAt);
      }
    }
    for (const e of events) {
      if (e.eventType === 'ED_DEPARTURE' && e.payload.disposal === 'ADMITTED') {
        expect(emergencyAt.has(`${e.subjectRef}@${e.occurredAt}`)).toBe(true);
      }
    }
  });

  it('should make events that pass the contract and round-trip through the codec', () => {
    const codec = createCodec();
    const events = collect(small('codec'));
    const types = new Set(events.map((e) => e.eventType));
    expect(types.size).toBe(9);
    for (const event of events) {
      expect(() => validateEvent(event)).not.toThrow();
      expect(codec.decode(codec.encode(event))).toEqual(event as ActivityEvent);
    }
  });
});

describe('createRng', () => {
  it('should make lowercase version 4 UUIDs deterministically', () => {
    const a = createRng('x');
    const b = createRng('x');
    for (let i = 0; i < 100; i++) {
      const id = a.uuid();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b.uuid()).toBe(id);
    }
  });
});
