import { DISCHARGE_DESTINATIONS } from '@pulse/contracts';
import { describe, expect, it } from 'vitest';
import {
  effectsOf,
  FIGURE_FAMILY,
  ED_OVER_MS,
  ED_WITHIN_MS,
  HANDOVER_OVER_30M_MS,
  HANDOVER_OVER_60M_MS,
  HANDOVER_STANDARD_MS,
  type EventEffects,
} from '../src/index.js';
import { event, T0 } from './events.js';

const MIN = 60_000;

/** `figure:group` → summed `by`, order-free. */
function counted(effects: EventEffects): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of effects.counters)
    out[`${c.figure}:${c.group}`] = (out[`${c.figure}:${c.group}`] ?? 0) + c.by;
  return out;
}

function departure(stayMs: number, disposal: 'ADMITTED' | 'DISCHARGED' = 'DISCHARGED') {
  return effectsOf(
    event(
      'ED_DEPARTURE',
      { attendanceId: 'A1', arrivedAt: T0 - stayMs, disposal, decisionToAdmitAt: null },
      { ageBand: 'AGE_5_17' },
    ),
  );
}

function handover(waitMs: number) {
  return counted(
    effectsOf(event('AMBULANCE_HANDOVER', { arrivedAt: T0 - waitMs }, { ageBand: 'UNKNOWN' })),
  );
}

describe('effectsOf', () => {
  it('should count an ambulance ED arrival twice and open the attendance at its arrival', () => {
    const fx = effectsOf(
      event(
        'ED_ARRIVAL',
        { attendanceId: 'A1', arrivalMode: 'AMBULANCE', departmentType: 1, acuity: 2 },
        { ageBand: 'AGE_0_4' },
      ),
    );
    expect(counted(fx)).toEqual({ 'ed_attendances:child': 1, 'ed_attendances_ambulance:child': 1 });
    expect(fx.state).toEqual([{ op: 'open', set: 'ed', id: 'A1', score: T0, group: 'child' }]);
  });

  it('should count a walk-in ED arrival once', () => {
    const fx = effectsOf(
      event('ED_ARRIVAL', {
        attendanceId: 'A2',
        arrivalMode: 'WALK_IN',
        departmentType: 3,
        acuity: null,
      }),
    );
    expect(counted(fx)).toEqual({ 'ed_attendances:adult': 1 });
  });

  it('should count a departure of exactly 4 hours as within 4 hours, and 1 ms more as not', () => {
    expect(counted(departure(ED_WITHIN_MS - 1))).toMatchObject({
      'ed_departures_within_4h:child': 1,
    });
    expect(counted(departure(ED_WITHIN_MS))).toEqual({
      'ed_departures:child': 1,
      'ed_departures_within_4h:child': 1,
    });
    expect(counted(departure(ED_WITHIN_MS + 1))).toEqual({ 'ed_departures:child': 1 });
  });

  it('should count a departure 12 hours or more from arrival from exactly 12 h 00 m', () => {
    expect(counted(departure(ED_OVER_MS - 1))).toEqual({ 'ed_departures:child': 1 });
    const over = { 'ed_departures:child': 1, 'ed_departures_over_12h:child': 1 };
    expect(counted(departure(ED_OVER_MS))).toEqual(over);
    expect(counted(departure(ED_OVER_MS + 1, 'ADMITTED'))).toEqual({
      ...over,
      'ed_departures_admitted:child': 1,
    });
  });

  it('should close the attendance at the departure time', () => {
    expect(departure(MIN).state).toEqual([{ op: 'close', set: 'ed', id: 'A1', at: T0 }]);
  });

  it('should lose nothing on a handover of exactly 15 minutes and count 30/60 only beyond', () => {
    expect(handover(HANDOVER_STANDARD_MS - 1)).toEqual({ 'ambulance_handovers:unknown': 1 });
    expect(handover(HANDOVER_STANDARD_MS)).toEqual({ 'ambulance_handovers:unknown': 1 });
    expect(handover(HANDOVER_OVER_30M_MS - 1)).not.toHaveProperty(
      'ambulance_handovers_over_30m:unknown',
    );
    expect(handover(HANDOVER_OVER_30M_MS)).toEqual({
      'ambulance_handovers:unknown': 1,
      'ambulance_handover_ms_lost:unknown': 15 * MIN,
    });
    expect(handover(HANDOVER_OVER_30M_MS + 1)).toMatchObject({
      'ambulance_handovers_over_30m:unknown': 1,
    });
    expect(handover(HANDOVER_OVER_60M_MS - 1)).not.toHaveProperty(
      'ambulance_handovers_over_60m:unknown',
    );
    expect(handover(HANDOVER_OVER_60M_MS)).not.toHaveProperty(
      'ambulance_handovers_over_60m:unknown',
    );
    expect(handover(HANDOVER_OVER_60M_MS + 1)).toEqual({
      'ambulance_handovers:unknown': 1,
      'ambulance_handovers_over_30m:unknown': 1,
      'ambulance_handovers_over_60m:unknown': 1,
      'ambulance_handover_ms_lost:unknown': 45 * MIN + 1,
    });
    expect(handover(HANDOVER_STANDARD_MS + 1)).toEqual({
      'ambulance_handovers:unknown': 1,
      'ambulance_handover_ms_lost:unknown': 1,
    });
  });

  it('should count admissions by method', () => {
    for (const [method, figure] of [
      ['EMERGENCY', 'admissions_emergency'],
      ['ELECTIVE', 'admissions_elective'],
      ['OTHER', 'admissions_other'],
    ] as const) {
      const fx = effectsOf(event('ADMISSION', { spellId: 'S1', method, bedType: 'GENERAL_ACUTE' }));
      expect(counted(fx)).toEqual({ [`${figure}:adult`]: 1 });
      expect(fx.state).toEqual([]);
    }
  });

  it('should turn a criteria-to-reside change into a ctr op only', () => {
    const fx = effectsOf(
      event(
        'CRITERIA_TO_RESIDE_CHANGED',
        { spellId: 'S1', meetsCriteria: false },
        { ageBand: 'AGE_85_PLUS' },
      ),
    );
    expect(fx).toEqual({
      family: 'inpatient',
      counters: [],
      state: [{ op: 'ctr', spellId: 'S1', meets: false, group: 'adult', at: T0 }],
    });
  });

  it('should count discharges by destination and carry the not-meeting increment', () => {
    for (const destination of DISCHARGE_DESTINATIONS) {
      const fx = effectsOf(
        event(
          'DISCHARGE',
          { spellId: 'S1', admittedAt: T0 - 1, destination },
          { ageBand: 'AGE_5_17' },
        ),
      );
      expect(counted(fx)).toEqual({ [`discharges_${destination.toLowerCase()}:child`]: 1 });
      expect(fx.state).toEqual([
        {
          op: 'discharge',
          spellId: 'S1',
          at: T0,
          ifNotMeeting: [{ figure: 'discharges_not_meeting_ctr', group: 'child', by: 1 }],
        },
      ]);
    }
  });

  it('should turn a bed snapshot into a beds op only, the provider standing in for no site', () => {
    const payload = { bedType: 'GENERAL_ACUTE', bedsOpen: 400, bedsOccupied: 380 } as const;
    const site = { op: 'beds', bedType: 'GENERAL_ACUTE', at: T0, open: 400, occupied: 380 };
    expect(effectsOf(event('BED_STATE', payload, { siteOds: 'RGT01' }))).toEqual({
      family: 'beds',
      counters: [],
      state: [{ ...site, siteOds: 'RGT01' }],
    });
    expect(effectsOf(event('BED_STATE', payload)).state).toEqual([{ ...site, siteOds: 'RGT' }]);
  });

  it('should open an RTT pathway at its clock start and close it at the stop', () => {
    const clockStartAt = T0 - 20 * 7 * 24 * 60 * MIN;
    const payload = { pathwayId: 'P1', clockStartAt, treatmentFunction: '100' };
    const start = effectsOf(event('RTT_CLOCK_START', payload));
    expect(counted(start)).toEqual({ 'rtt_clock_starts_recorded:adult': 1 });
    expect(start.state).toEqual([
      { op: 'open', set: 'rtt', id: 'P1', score: clockStartAt, group: 'adult' },
    ]);
    const stop = effectsOf(event('RTT_CLOCK_STOP', payload));
    expect(counted(stop)).toEqual({ 'rtt_clock_stops:adult': 1 });
    expect(stop.state).toEqual([{ op: 'close', set: 'rtt', id: 'P1', at: T0 }]);
  });

  it('should name the family each event reports, the family of every figure it counts', () => {
    const stay = { attendanceId: 'A1', arrivedAt: T0 - 5 * 60 * MIN, decisionToAdmitAt: null };
    const cases = [
      effectsOf(
        event('ED_ARRIVAL', {
          attendanceId: 'A1',
          arrivalMode: 'AMBULANCE',
          departmentType: 1,
          acuity: 2,
        }),
      ),
      effectsOf(event('ED_DEPARTURE', { ...stay, disposal: 'ADMITTED' })),
      effectsOf(event('AMBULANCE_HANDOVER', { arrivedAt: T0 - 90 * MIN })),
      effectsOf(
        event('ADMISSION', { spellId: 'S1', method: 'EMERGENCY', bedType: 'GENERAL_ACUTE' }),
      ),
      effectsOf(event('DISCHARGE', { spellId: 'S1', admittedAt: T0 - 1, destination: 'HOME' })),
      effectsOf(
        event('RTT_CLOCK_START', { pathwayId: 'P1', clockStartAt: T0, treatmentFunction: '100' }),
      ),
    ];
    expect(cases.map((fx) => fx.family)).toEqual([
      'ae',
      'ae',
      'ambulance-handovers',
      'inpatient',
      'inpatient',
      'rtt',
    ]);
    for (const fx of cases) {
      for (const c of fx.counters) expect(FIGURE_FAMILY[c.figure], c.figure).toBe(fx.family);
    }
  });
});
