// A seeded random sent log that exercises every rule: out-of-order closes, repeated opens,
// CTR after discharge, second discharges, age bands changing mid-spell, bed ties, resends,
// late, future-dated, unknown-organisation and faulty records, across both April 2026 ICBs.
import { AGE_BANDS, type ActivityEvent, type AgeBand, type EventType } from '@pulse/contracts';
import type { Resolver } from '@pulse/kpi';
import type { SentRecord } from '../src/index.js';
import { event } from '../../kpi/test/events.js';
import { prng } from '../src/prng.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const WEEK = 7 * 24 * HOUR;

export const LOG_FROM = Date.parse('2026-03-28T20:00:00Z');
export const LOG_TO = Date.parse('2026-04-02T04:00:00Z');
/** The aggregator's clock for the log: just after the last event. */
export const LOG_CLOCK = LOG_TO + MIN;
export const TRUSTS = ['RGT', 'RQW', 'RAJ', 'G6V2S'] as const;

/** RQW moves from QUE to QXX on 1 April 2026; RAJ is in another region; ZZZ is unknown. */
export const resolve: Resolver = (ods, date) => {
  switch (ods) {
    case 'RGT':
      return { icb: 'QUE', region: 'Y61' };
    case 'RQW':
      return date < '2026-04-01' ? { icb: 'QUE', region: 'Y61' } : { icb: 'QXX', region: 'Y61' };
    case 'RAJ':
      return { icb: 'QH8', region: 'Y60' };
    case 'G6V2S':
      return date < '2026-03-30' ? undefined : { icb: 'QXX', region: 'Y61' };
    default:
      return undefined;
  }
};

/** The providers the reference data knows (ZZZ and RXX are not among them). */
export const isKnownProvider = (ods: string) => (TRUSTS as readonly string[]).includes(ods);

function random(seed: number) {
  const next = prng(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const TYPES: readonly EventType[] = [
  'ED_ARRIVAL',
  'ED_ARRIVAL',
  'ED_DEPARTURE',
  'ED_DEPARTURE',
  'AMBULANCE_HANDOVER',
  'ADMISSION',
  'CRITERIA_TO_RESIDE_CHANGED',
  'CRITERIA_TO_RESIDE_CHANGED',
  'DISCHARGE',
  'BED_STATE',
  'RTT_CLOCK_START',
  'RTT_CLOCK_STOP',
];

/** Durations around every boundary: exactly on it, one ms either side, and well away. */
// Every boundary at its value and a millisecond either side.
const STAYS = [
  0,
  4 * HOUR - 1,
  4 * HOUR,
  4 * HOUR + 1,
  12 * HOUR - 1,
  12 * HOUR,
  12 * HOUR + 1,
  13 * HOUR,
];
const WAITS = [...[15, 30, 60].flatMap((m) => [m * MIN - 1, m * MIN, m * MIN + 1]), 0, 3 * HOUR];
const RTT_AGES = [
  1 * WEEK,
  18 * WEEK,
  18 * WEEK + 1,
  52 * WEEK + 1,
  65 * WEEK,
  70 * WEEK,
  200 * WEEK,
];

export function randomLog(seed: number, size: number): SentRecord[] {
  const r = random(seed);
  const log: SentRecord[] = [];
  const id = (prefix: string) => `${prefix}${r.int(12)}`;
  const band = (): AgeBand => r.pick(AGE_BANDS);
  // Bed snapshots land on a few instants so ties happen.
  const bedTimes = [LOG_FROM + HOUR, LOG_FROM + 30 * HOUR, LOG_FROM + 60 * HOUR];
  for (let i = 0; i < size; i++) {
    const providerOds = r.next() < 0.02 ? 'ZZZ' : r.pick(TRUSTS);
    const occurredAt = LOG_FROM + r.int(LOG_TO - LOG_FROM);
    const env = { providerOds, occurredAt, ageBand: band(), siteOds: null };
    let e: ActivityEvent;
    switch (r.pick(TYPES)) {
      case 'ED_ARRIVAL':
        e = event(
          'ED_ARRIVAL',
          {
            attendanceId: id('A'),
            arrivalMode: r.pick(['AMBULANCE', 'WALK_IN', 'OTHER'] as const),
            departmentType: 1,
            acuity: null,
          },
          { ...env, occurredAt: occurredAt - r.pick(STAYS) },
        );
        break;
      case 'ED_DEPARTURE':
        e = event(
          'ED_DEPARTURE',
          {
            attendanceId: id('A'),
            arrivedAt: occurredAt - r.pick(STAYS),
            disposal: r.pick(['ADMITTED', 'DISCHARGED', 'LEFT'] as const),
            decisionToAdmitAt: null,
          },
          env,
        );
        break;
      case 'AMBULANCE_HANDOVER':
        e = event('AMBULANCE_HANDOVER', { arrivedAt: occurredAt - r.pick(WAITS) }, env);
        break;
      case 'ADMISSION':
        e = event(
          'ADMISSION',
          {
            spellId: id('S'),
            method: r.pick(['EMERGENCY', 'ELECTIVE', 'OTHER'] as const),
            bedType: 'GENERAL_ACUTE',
          },
          env,
        );
        break;
      case 'CRITERIA_TO_RESIDE_CHANGED':
        e = event(
          'CRITERIA_TO_RESIDE_CHANGED',
          { spellId: id('S'), meetsCriteria: r.next() < 0.4 },
          env,
        );
        break;
      case 'DISCHARGE':
        e = event(
          'DISCHARGE',
          {
            spellId: id('S'),
            admittedAt: occurredAt - HOUR,
            destination: r.pick(['HOME', 'CARE_HOME', 'DIED', 'OTHER'] as const),
          },
          env,
        );
        break;
      case 'BED_STATE':
        e = event(
          'BED_STATE',
          {
            bedType: r.pick(['GENERAL_ACUTE', 'GENERAL_ACUTE', 'CRITICAL_CARE'] as const),
            bedsOpen: 100 + r.int(50),
            bedsOccupied: 80 + r.int(60),
          },
          {
            ...env,
            siteOds: r.pick([null, `${providerOds}01`, `${providerOds}02`]),
            occurredAt: r.pick(bedTimes),
          },
        );
        break;
      case 'RTT_CLOCK_START':
      case 'RTT_CLOCK_STOP': {
        const payload = {
          pathwayId: id('P'),
          clockStartAt: LOG_CLOCK - r.pick(RTT_AGES),
          treatmentFunction: '100',
        };
        e =
          r.next() < 0.6
            ? event('RTT_CLOCK_START', payload, env)
            : event('RTT_CLOCK_STOP', payload, env);
        break;
      }
      default:
        throw new Error('unreachable');
    }
    const roll = r.next();
    if (roll < 0.01)
      log.push({ event: { ...e, occurredAt: LOG_CLOCK - 15 * 24 * HOUR } }); // too late
    else if (roll < 0.02)
      log.push({ event: { ...e, occurredAt: LOG_CLOCK + 10 * MIN } }); // future
    else if (roll < 0.03)
      log.push({ key: providerOds, fault: r.pick(['BAD_MARKER', 'CORRUPT_BODY'] as const) });
    else if (roll < 0.04)
      log.push({ event: e, key: 'RXX' }); // another trust's key
    else log.push({ event: e });
    if (r.next() < 0.08 && log.length > 1) log.push({ ...log[r.int(log.length)]! }); // a resend
  }
  return log;
}
