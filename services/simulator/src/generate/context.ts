// What every activity module of one simulated trust shares: its profile, its random stream, the
// schedule, bed occupancy, and the factory that makes valid envelopes.
import type { ActivityEvent, AgeBand, EventOf, EventType, PayloadOf } from '@pulse/contracts';
import { AGE_BAND_ORDER, EMIT_DELAY_SECONDS } from './assumptions.js';
import { DAY_MS, londonHourOf, londonWeekdayOf } from '@pulse/refdata';
import type { TrustProfile } from './profiles.js';
import { pseudonymiser } from './pseudonym.js';
import { createRng, type Rng } from './rng.js';
import type { Occupancy, Schedule } from './schedule.js';

export interface TrustContext {
  readonly seed: string;
  readonly profile: TrustProfile;
  readonly rng: Rng;
  readonly from: number;
  readonly to: number;
  readonly schedule: Schedule;
  readonly occupancy: Occupancy;
  /** Beds open per bed type (0: the trust reports none of that type). */
  readonly bedsOpen: Occupancy;
  /** A complete event of a type; emittedAt a small realistic delay after occurredAt. */
  event<T extends EventType>(
    type: T,
    at: number,
    ageBand: AgeBand,
    subjectRef: string | null,
    payload: PayloadOf<T>,
  ): EventOf<T>;
  /** A fresh keyed pseudonym for a patient (never an NHS number or postcode). */
  pseudonym(): string;
  /** The keyed pseudonym of a patient token (stable: the same token, the same pseudonym). */
  pseudonymOf(patientToken: string): string;
  ageBand(mix: readonly number[]): AgeBand;
}

export function createTrustContext(
  seed: string,
  profile: TrustProfile,
  from: number,
  to: number,
  schedule: Schedule,
): TrustContext {
  const rng = createRng(`${seed}/activity/${profile.ods}`);
  const pseudonymOf = pseudonymiser(seed);
  return {
    seed,
    profile,
    rng,
    from,
    to,
    schedule,
    occupancy: { GENERAL_ACUTE: 0, CRITICAL_CARE: 0, OTHER: 0 },
    bedsOpen: { GENERAL_ACUTE: 0, CRITICAL_CARE: 0, OTHER: 0 },
    event(type, at, ageBand, subjectRef, payload) {
      const delay = Math.min(
        EMIT_DELAY_SECONDS.max,
        rng.logNormal(EMIT_DELAY_SECONDS.median, EMIT_DELAY_SECONDS.sigma),
      );
      const event = {
        eventId: rng.uuid(),
        eventType: type,
        providerOds: profile.ods,
        siteOds: profile.ods,
        occurredAt: at,
        emittedAt: at + Math.round(delay * 1000),
        ageBand,
        subjectRef,
        payload,
      };
      return event as ActivityEvent as EventOf<typeof type>;
    },
    // HMAC-SHA-256 over 96 random bits of the stream, keyed by the seed (pseudonym.ts).
    pseudonym: () => pseudonymOf(rng.hex(12)),
    pseudonymOf,
    ageBand: (mix) => AGE_BAND_ORDER[rng.weighted(mix)]!,
  };
}

/** Relative shape normalised to a mean of 1. */
export function normalised(shape: readonly number[]): readonly number[] {
  const mean = shape.reduce((a, b) => a + b, 0) / shape.length;
  return shape.map((v) => v / mean);
}

/**
 * Expected count in [start, end) of a process running `perDay` on an average day, shaped by
 * local hour (and day of week); evaluated at the slice's midpoint.
 */
export function expectedIn(
  start: number,
  end: number,
  perDay: number,
  hourly: readonly number[],
  weekday?: readonly number[],
): number {
  const mid = (start + end) / 2;
  const h = hourly[Math.floor(londonHourOf(mid))] ?? 1;
  const w = weekday ? (weekday[londonWeekdayOf(mid)] ?? 1) : 1;
  return (perDay * h * w * (end - start)) / DAY_MS;
}

/** `count` instants uniform in [start, end), whole milliseconds. */
export function instantsIn(rng: Rng, start: number, end: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.floor(rng.uniform(start, end)));
  return out;
}

export const isChild = (band: AgeBand): boolean => band === 'AGE_0_4' || band === 'AGE_5_17';
export const isAdult = (band: AgeBand): boolean =>
  band === 'AGE_18_64' || band === 'AGE_65_84' || band === 'AGE_85_PLUS';
