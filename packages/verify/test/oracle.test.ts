import { describe, expect, it } from 'vitest';
import { STATE_WINDOW_MS, UNUSABLE_KEY, type Resolver } from '@pulse/kpi';
import { BruteForce, type SentRecord } from '../src/index.js';
import { event, T0 } from '../../kpi/test/events.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const resolve: Resolver = (ods) => (ods === 'RGT' ? { icb: 'QUE', region: 'Y61' } : undefined);
const isKnownProvider = (ods: string) => ['RGT', 'RXX', 'RNK'].includes(ods);
const oracle = (log: SentRecord[]) => new BruteForce(log, { resolve, isKnownProvider, clock: T0 });
const admission = (occurredAt = T0, providerOds = 'RGT') =>
  event(
    'ADMISSION',
    { spellId: 'S', method: 'EMERGENCY', bedType: 'GENERAL_ACUTE' },
    { occurredAt, providerOds },
  );
const ctr = (spellId: string, meetsCriteria: boolean, ageBand = 'AGE_18_64' as const) => ({
  event: event('CRITERIA_TO_RESIDE_CHANGED', { spellId, meetsCriteria }, { ageBand }),
});
const discharge = (spellId: string) => ({
  event: event('DISCHARGE', { spellId, admittedAt: T0 - HOUR, destination: 'HOME' }),
});
const arrival = (attendanceId: string, occurredAt: number) => ({
  event: event(
    'ED_ARRIVAL',
    { attendanceId, arrivalMode: 'WALK_IN', departmentType: 1, acuity: null },
    { occurredAt },
  ),
});
const today = (o: BruteForce) => o.counters('t:RGT', '1d', '2026-06-10');

describe('BruteForce acceptance', () => {
  it('should reject by the aggregator rules, at the exact grace and future boundaries', () => {
    const o = oracle([
      { event: admission(T0 - 14 * 24 * HOUR) }, // exactly clock - grace: accepted
      { event: admission(T0 - 14 * 24 * HOUR - 1) }, // TOO_LATE
      { event: admission(T0 + 5 * MIN) }, // exactly clock + maxFuture: accepted
      { event: admission(T0 + 5 * MIN + 1) }, // FUTURE_DATED
      { event: admission(T0, 'ZZZ') }, // UNKNOWN_ORGANISATION
      { event: admission(), key: 'RXX' }, // KEY_MISMATCH, counted under the key
      { key: 'RGT', fault: 'CORRUPT_BODY' },
      { event: admission(), fault: 'INVALID_FIELD' },
      { event: admission(), fault: 'INVALID_TIME_ORDER' },
      { event: admission(), fault: 'IDENTIFIER_IN_SUBJECT_REF' },
    ]);
    expect(o.accepted).toHaveLength(2);
    expect(o.dataQuality.get('RGT')).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: {
        TOO_LATE: 1,
        FUTURE_DATED: 1,
        CORRUPT_BODY: 1,
        INVALID_FIELD: 1,
        INVALID_TIME_ORDER: 1,
        IDENTIFIER_IN_SUBJECT_REF: 1,
      },
      newest: T0 + 5 * MIN,
    });
    // ZZZ is no provider the reference data knows: counted under the one bucket for such keys.
    expect(o.dataQuality.get(UNUSABLE_KEY)?.rejected).toEqual({ UNKNOWN_ORGANISATION: 1 });
    expect(o.dataQuality.has('ZZZ')).toBe(false);
    expect(o.dataQuality.get('RXX')?.rejected).toEqual({ KEY_MISMATCH: 1 });
  });

  it('should predict EMITTED_IN_FUTURE for emittedAt later than clock + maxFuture, after FUTURE_DATED', () => {
    const emitted = (at: number, occurredAt = T0) => ({
      event: { ...admission(occurredAt), emittedAt: at },
    });
    const o = oracle([
      emitted(T0 + 5 * MIN), // exactly clock + maxFuture: accepted
      emitted(T0 + 5 * MIN + 1), // EMITTED_IN_FUTURE
      emitted(Date.parse('2100-01-01T00:00:00Z')), // EMITTED_IN_FUTURE
      emitted(T0 + HOUR, T0 + HOUR), // FUTURE_DATED first
    ]);
    expect(o.dataQuality.get('RGT')).toMatchObject({
      accepted: 1,
      rejected: { EMITTED_IN_FUTURE: 2, FUTURE_DATED: 1 },
    });
  });

  it('should count rejections with no key or a key no provider has under UNUSABLE_KEY only', () => {
    // Regression: each rejected record's key became its own never-expiring dq hash.
    const junk = ['9434765919', 'John Smith', 'ZZZ', '', 'R'.repeat(200)];
    const o = oracle([
      ...junk.map((key) => ({ key, fault: 'BAD_MARKER' as const })),
      { fault: 'CORRUPT_BODY' as const },
      { event: admission(), key: 'RNK' }, // a known provider's key: its own
    ]);
    expect([...o.dataQuality.keys()].sort()).toEqual([UNUSABLE_KEY, 'RNK'].sort());
    expect(o.dataQuality.get(UNUSABLE_KEY)?.rejected).toEqual({ BAD_MARKER: 5, CORRUPT_BODY: 1 });
    expect(o.dataQuality.get('RNK')?.rejected).toEqual({ KEY_MISMATCH: 1 });
  });

  it('should count the first accepted occurrence of an event id and the rest as duplicates', () => {
    const e = admission();
    const twice = oracle([{ event: e }, { event: e }]);
    expect(twice.dataQuality.get('RGT')).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(today(twice).admissions_emergency.total).toBe(1);
  });

  it('should accept a resend once the clock has caught up with a future-dated first copy', () => {
    const e = admission(T0 + HOUR);
    const o = oracle([{ event: e }, { event: e, clock: T0 + HOUR }]);
    expect(o.dataQuality.get('RGT')).toMatchObject({
      accepted: 1,
      duplicates: 0,
      rejected: { FUTURE_DATED: 1 },
    });
  });
});

describe('BruteForce figures', () => {
  it('should count a discharge as not meeting CTR by the latest CTR before it, once per spell', () => {
    const o = oracle([
      ctr('S1', false),
      ctr('S1', true),
      discharge('S1'), // latest before: meets
      ctr('S2', true),
      ctr('S2', false),
      discharge('S2'), // counts
      discharge('S2'), // a second discharge never counts
      discharge('S3'),
      // Dated after the discharge: ignored (one dated at or before it would count, however late).
      {
        event: event(
          'CRITERIA_TO_RESIDE_CHANGED',
          { spellId: 'S3', meetsCriteria: false },
          { occurredAt: T0 + 1 },
        ),
      },
    ]);
    expect(today(o).discharges_not_meeting_ctr.total).toBe(1);
    expect(today(o).discharges_home.total).toBe(4);
    expect(o.gauges('t:RGT', T0).gauges.ctr_not_meeting.total).toBe(0);
  });

  it('should count live state only within its window of asOf, and a discharge only within the spell window of its CTR', () => {
    const start = (pathwayId: string, clockStartAt: number) => ({
      event: event('RTT_CLOCK_START', { pathwayId, clockStartAt, treatmentFunction: '100' }),
    });
    const o = oracle([
      arrival('A1', T0 - HOUR),
      arrival('A2', T0 - 2 * HOUR),
      start('P1', T0 - 30 * 7 * 24 * HOUR),
      start('P2', T0 - 60 * 7 * 24 * HOUR),
      ctr('S1', false),
    ]);
    const at = (asOf: number) => o.gauges('t:RGT', asOf).gauges;
    const ed = STATE_WINDOW_MS.ed;
    expect(at(T0 - HOUR + ed).ed_in_department.total).toBe(1); // A1 exactly at its window
    expect(at(T0 - HOUR + ed).ed_in_department_over_12h.total).toBe(1);
    expect(at(T0 - HOUR + ed + 1).ed_in_department.total).toBe(0);
    const rtt = STATE_WINDOW_MS.rtt - 60 * 7 * 24 * HOUR;
    expect(at(T0 + rtt).rtt_waiting.total).toBe(2);
    expect(at(T0 + rtt + 1).rtt_waiting.total).toBe(1);
    expect(at(T0 + rtt + 1).rtt_over_65w.total).toBe(1);
    expect(at(T0 + STATE_WINDOW_MS.ctr).ctr_not_meeting.total).toBe(1);
    expect(at(T0 + STATE_WINDOW_MS.ctr + 1).ctr_not_meeting.total).toBe(0);

    // A discharge more than the spell window after the CTR change that said "not meeting".
    const late = T0 + STATE_WINDOW_MS.ctr + 1;
    const withDischarge = (at: number) =>
      new BruteForce(
        [
          ctr('S9', false),
          {
            event: event(
              'DISCHARGE',
              { spellId: 'S9', admittedAt: at - HOUR, destination: 'HOME' },
              { occurredAt: at },
            ),
            clock: at,
          },
        ],
        { resolve, isKnownProvider, clock: T0 },
      );
    const notMeeting = (b: BruteForce, at: number) =>
      b.counters('t:RGT', '15m', String(Math.floor(at / (15 * MIN)) * 15 * MIN))
        .discharges_not_meeting_ctr.total;
    expect(notMeeting(withDischarge(late - 1), late - 1)).toBe(1);
    expect(notMeeting(withDischarge(late), late)).toBe(0);
  });

  it('should count a discharge by the criteria in force at it, even when the change arrives after the discharge (regression: partition order)', () => {
    const change = (spellId: string, meetsCriteria: boolean, at: number) => ({
      event: event('CRITERIA_TO_RESIDE_CHANGED', { spellId, meetsCriteria }, { occurredAt: at }),
    });
    const leaving = (spellId: string) => ({
      event: event('DISCHARGE', { spellId, admittedAt: T0 - 9 * HOUR, destination: 'HOME' }),
    });
    const counted = (log: SentRecord[]) => today(oracle(log)).discharges_not_meeting_ctr.total;
    // The change saying "no longer meets" reaches the pipeline after the discharge.
    expect(
      counted([change('S', true, T0 - 3 * HOUR), leaving('S'), change('S', false, T0 - HOUR)]),
    ).toBe(1);
    // A change dated after the discharge has no bearing on it, whenever it arrives.
    expect(
      counted([change('S', false, T0 - HOUR), leaving('S'), change('S', true, T0 + MIN)]),
    ).toBe(1);
    // The latest by event time wins, not the latest to arrive.
    expect(
      counted([change('S', false, T0 - HOUR), change('S', true, T0 - 2 * HOUR), leaving('S')]),
    ).toBe(1);
    expect(
      counted([change('S', true, T0 - HOUR), change('S', false, T0 - 2 * HOUR), leaving('S')]),
    ).toBe(0);
    // Not discharged: the gauge follows the latest change by event time too.
    const live = oracle([change('S', false, T0 - HOUR), change('S', true, T0 - 2 * HOUR)]);
    expect(live.gauges('t:RGT', T0).gauges.ctr_not_meeting.total).toBe(1);
  });

  it('should hold a spell not meeting in the group of its latest CTR event', () => {
    const o = oracle([ctr('S1', false, 'AGE_5_17' as never), ctr('S1', false), ctr('S2', false)]);
    expect(o.gauges('e', T0).gauges.ctr_not_meeting).toEqual({
      child: 0,
      adult: 2,
      unknown: 0,
      total: 2,
    });
  });

  it('should keep the newest bed snapshot per site, a tie going to the later sent', () => {
    const beds = (at: number, bedsOpen: number, siteOds: string | null = 'RGT01') => ({
      event: event(
        'BED_STATE',
        { bedType: 'GENERAL_ACUTE', bedsOpen, bedsOccupied: 1 },
        { occurredAt: at, siteOds },
      ),
    });
    const o = oracle([beds(T0, 10), beds(T0 - 1, 20), beds(T0, 30), beds(T0, 5, null)]);
    expect(o.gauges('i:QUE', T0).beds).toEqual({ ga_beds_open: 35, ga_beds_occupied: 2 });
  });

  it('should count every boundary at its value and a millisecond either side', () => {
    const stay = (ms: number, id: string) => ({
      event: event('ED_DEPARTURE', {
        attendanceId: id,
        arrivedAt: T0 - ms,
        disposal: 'DISCHARGED',
        decisionToAdmitAt: null,
      }),
    });
    const wait = (ms: number) => ({
      event: event('AMBULANCE_HANDOVER', { arrivedAt: T0 - ms }, { ageBand: 'AGE_18_64' }),
    });
    const figures = (records: SentRecord[]) => today(oracle(records));
    const by = (ms: number) => [ms - 1, ms, ms + 1];
    // 4 hours or less from arrival is within; 12 hours or more is over (NHS definitions).
    expect(
      by(4 * HOUR).map((ms) => figures([stay(ms, 'A')]).ed_departures_within_4h.total),
    ).toEqual([1, 1, 0]);
    expect(
      by(12 * HOUR).map((ms) => figures([stay(ms, 'A')]).ed_departures_over_12h.total),
    ).toEqual([0, 1, 1]);
    // Handovers over 30 and over 60 minutes are strict; time lost is beyond 15 minutes.
    expect(
      by(30 * MIN).map((ms) => figures([wait(ms)]).ambulance_handovers_over_30m.total),
    ).toEqual([0, 0, 1]);
    expect(
      by(60 * MIN).map((ms) => figures([wait(ms)]).ambulance_handovers_over_60m.total),
    ).toEqual([0, 0, 1]);
    expect(by(15 * MIN).map((ms) => figures([wait(ms)]).ambulance_handover_ms_lost.total)).toEqual([
      0, 0, 1,
    ]);
  });

  it('should count patients in department 12 hours or more at and before asOf - 12 h', () => {
    const departure = event('ED_DEPARTURE', {
      attendanceId: 'A3',
      arrivedAt: T0 - 20 * HOUR,
      disposal: 'LEFT',
      decisionToAdmitAt: null,
    });
    const o = oracle([
      arrival('A1', T0 - 12 * HOUR),
      arrival('A2', T0 - 12 * HOUR - 1),
      arrival('A4', T0 - 12 * HOUR + 1),
      { event: departure },
      arrival('A3', T0 - 20 * HOUR),
    ]);
    const { gauges } = o.gauges('r:Y61', T0);
    expect(gauges.ed_in_department.total).toBe(3);
    expect(gauges.ed_in_department_over_12h.total).toBe(2);
  });
});

describe('BruteForce gauge history', () => {
  // T0 is 12:00 UTC; arrivals of RGT (ICB QUE), clock = the event time unless given.
  const at = (minutes: number) => T0 + minutes * MIN;
  const sent = (minutes: number, id: string, clock?: number) => ({
    ...arrival(id, at(minutes)),
    clock: clock ?? at(minutes),
  });
  const inDept = (o: BruteForce, minutes: number) => {
    const s = o.gaugeSample('i:QUE', at(minutes));
    return [s.sampled, s.gauges.ed_in_department.total];
  };

  it('should sample each end from the events before the first one after it, never revised by a late one', () => {
    const o = oracle([sent(5, 'a'), sent(40, 'b'), sent(10, 'late'), sent(50, 'c'), sent(70, 'd')]);
    expect(inDept(o, 0)).toEqual([0, 0]); // before the first event: not sampled
    expect(inDept(o, 15)).toEqual([1, 1]); // crossed by b at 12:40: a only
    expect(inDept(o, 30)).toEqual([1, 1]);
    expect(inDept(o, 45)).toEqual([1, 3]); // crossed by c: a, b and the late one
    expect(inDept(o, 60)).toEqual([1, 4]);
    expect(inDept(o, 75)).toEqual([0, 0]); // not crossed yet
  });

  it('should sample a silent trust only the last day before its next event, and not before its record time - grace', () => {
    const o = oracle([sent(0, 'a'), sent(3 * 24 * 60 + 1, 'b')]);
    const sampled = Array.from({ length: 3 * 96 }, (_, q) => inDept(o, 15 * (q + 1))[0]);
    expect(sampled.filter((s) => s === 1)).toHaveLength(96);
    expect(inDept(o, 3 * 24 * 60)).toEqual([1, 1]);
    const late = oracle([sent(0, 'a'), sent(60, 'b', at(60) + 14 * 24 * HOUR - 20 * MIN)]);
    // b (13:00) arrives 14 days less 20 minutes after 13:00: ends from 12:40 on, so 12:45 only.
    expect([15, 30, 45, 60].map((m) => inDept(late, m)[0])).toEqual([0, 0, 1, 0]);
  });
});
