// Copies of a valid event that a careless or hostile trust system might send instead: values no
// real event has (an ED stay of weeks, 10^9 beds, another trust's site) and patient identifiers
// where an opaque id or a pseudonym belongs. Each copy breaks exactly one contract rule, and says
// which code the aggregator must dead-letter it with.
import {
  MAX_BEDS_PER_SNAPSHOT,
  MAX_ED_STAY_MS,
  MAX_HANDOVER_MS,
  MAX_RTT_WAIT_MS,
  MAX_SPELL_MS,
  type ActivityEvent,
} from '@pulse/contracts';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '@pulse/refdata';
import type { Rng } from '../generate/rng.js';
import type { RejectCode } from './kinds.js';

export interface BadCopy {
  readonly event: ActivityEvent;
  readonly code: RejectCode;
}

/** A site code of another trust: the provider's first character changed, then 2 characters. */
function foreignSite(rng: Rng, providerOds: string): string {
  const first = providerOds[0] === 'R' ? 'N' : 'R';
  return `${first}${providerOds.slice(1, 3)}${String(rng.int(100)).padStart(2, '0')}`;
}

/** An event whose instants or counts are beyond the contract's plausibility bounds. */
export function implausibleCopy(rng: Rng, event: ActivityEvent, eventId: string): BadCopy {
  const e = { ...event, eventId } as ActivityEvent;
  // Past the bound by an hour to a month, so the copy is no nearer the boundary than that.
  const beyond = (bound: number) =>
    event.occurredAt - bound - Math.floor(rng.uniform(HOUR, 30 * DAY));
  switch (e.eventType) {
    case 'ED_DEPARTURE': {
      const payload = { ...e.payload, arrivedAt: beyond(MAX_ED_STAY_MS), decisionToAdmitAt: null };
      return { event: { ...e, payload }, code: 'ED_STAY_TOO_LONG' };
    }
    case 'AMBULANCE_HANDOVER':
      return {
        event: { ...e, payload: { arrivedAt: beyond(MAX_HANDOVER_MS) } },
        code: 'HANDOVER_TOO_LONG',
      };
    case 'DISCHARGE': {
      const payload = { ...e.payload, admittedAt: beyond(MAX_SPELL_MS) };
      return { event: { ...e, payload }, code: 'SPELL_TOO_LONG' };
    }
    case 'RTT_CLOCK_START':
    case 'RTT_CLOCK_STOP': {
      const payload = { ...e.payload, clockStartAt: beyond(MAX_RTT_WAIT_MS) };
      return { event: { ...e, payload } as ActivityEvent, code: 'RTT_WAIT_TOO_LONG' };
    }
    case 'BED_STATE': {
      const bedsOpen = MAX_BEDS_PER_SNAPSHOT + 1 + rng.int(1_000_000_000);
      return { event: { ...e, payload: { ...e.payload, bedsOpen } }, code: 'TOO_MANY_BEDS' };
    }
    default:
      // An arrival, admission or criteria change: reported from another trust's site.
      return {
        event: { ...e, siteOds: foreignSite(rng, e.providerOds) },
        code: 'SITE_NOT_OF_PROVIDER',
      };
  }
}

/** A test NHS number (the 999 range is never issued) in one of the spellings that reach EPRs. */
function nhsNumber(rng: Rng): string {
  const digits = `999${String(rng.int(10_000_000)).padStart(7, '0')}`;
  const spaced = `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  const spellings = [digits, spaced, `NHS${digits}`, spaced.replaceAll(' ', '.')];
  return spellings[rng.int(spellings.length)]!;
}

/** An event with a patient identifier in its pseudonym, or free text in its id. */
export function identifierCopy(rng: Rng, event: ActivityEvent, eventId: string): BadCopy {
  const e = { ...event, eventId } as ActivityEvent;
  const text = `Patient ${nhsNumber(rng)}`;
  const payload = e.payload as unknown as Record<string, unknown>;
  const idField = ['attendanceId', 'spellId', 'pathwayId'].find((f) => f in payload);
  if (idField !== undefined && rng.chance(0.5)) {
    return {
      event: { ...e, payload: { ...payload, [idField]: text } } as unknown as ActivityEvent,
      code: 'INVALID_FIELD',
    };
  }
  return { event: { ...e, subjectRef: nhsNumber(rng) }, code: 'IDENTIFIER_IN_SUBJECT_REF' };
}
