// Realism over a simulated Monday for every open trust, after a Sunday that sets the scene (so
// long stays that began the day before count). Ranges, not point values: see the README.
import { describe, expect, it } from 'vitest';
import { generateActivity } from '../src/generate/index.js';
import { measure, type RealismFigures } from '../src/generate/measure.js';
import { windowOf } from './helpers.js';

const SUNDAY = '2026-11-22T00:00:00Z';
const MONDAY = '2026-11-23T00:00:00Z';
const TUESDAY = '2026-11-24T00:00:00Z';

describe('generated activity over a simulated day for all trusts', () => {
  let sunday: RealismFigures;
  let monday: RealismFigures;

  it('should be generated (two days, RTT scaled down)', () => {
    const options = windowOf(SUNDAY, TUESDAY, { seed: 'realism', rttScale: 0.001 });
    const events = [...generateActivity(options)];
    sunday = measure(
      events.filter((e) => e.occurredAt < Date.parse(MONDAY)),
      Date.parse(SUNDAY),
    );
    monday = measure(events, Date.parse(MONDAY));
    expect(monday.events).toBeGreaterThan(200_000);
  });

  it('should see about 75k A&E attendances a day, a quarter of them children', () => {
    expect(monday.edArrivals).toBeGreaterThan(70_000);
    expect(monday.edArrivals).toBeLessThan(95_000);
    expect(monday.childShareOfArrivals).toBeGreaterThan(0.22);
    expect(monday.childShareOfArrivals).toBeLessThan(0.28);
  });

  it('should meet the 4-hour standard for 70-78% and keep 8-12% of type 1 over 12 hours', () => {
    expect(monday.fourHourShare).toBeGreaterThan(0.7);
    expect(monday.fourHourShare).toBeLessThan(0.78);
    expect(monday.type1TwelveHourShare).toBeGreaterThan(0.07);
    expect(monday.type1TwelveHourShare).toBeLessThan(0.13);
  });

  it('should bring ~20-25% of type 1 by ambulance and admit ~25-30% of type 1', () => {
    expect(monday.type1AmbulanceShare).toBeGreaterThan(0.19);
    expect(monday.type1AmbulanceShare).toBeLessThan(0.26);
    expect(monday.type1AdmittedShare).toBeGreaterThan(0.23);
    expect(monday.type1AdmittedShare).toBeLessThan(0.31);
  });

  it('should hand over 12-14k ambulances, 20-35% over 30 minutes and 8-15% over 60', () => {
    expect(monday.byType.AMBULANCE_HANDOVER).toBeGreaterThan(11_000);
    expect(monday.byType.AMBULANCE_HANDOVER).toBeLessThan(16_000);
    expect(monday.handoversOver30).toBeGreaterThan(0.2);
    expect(monday.handoversOver30).toBeLessThan(0.35);
    expect(monday.handoversOver60).toBeGreaterThan(0.07);
    expect(monday.handoversOver60).toBeLessThan(0.15);
  });

  it('should hand over a few more ambulances than arrive at A&E: ~5% go straight to assessment units', () => {
    const ratio = monday.byType.AMBULANCE_HANDOVER! / monday.edAmbulanceArrivals;
    expect(ratio).toBeGreaterThan(1.02);
    expect(ratio).toBeLessThan(1.09);
  });

  it('should admit ~18k emergencies and keep ~100k G&A beds 90-97% occupied', () => {
    expect(monday.emergencyAdmissions).toBeGreaterThan(15_000);
    expect(monday.emergencyAdmissions).toBeLessThan(21_000);
    expect(monday.gaBedsOpen).toBeGreaterThan(85_000);
    expect(monday.gaBedsOpen).toBeLessThan(115_000);
    expect(monday.gaOccupancy).toBeGreaterThan(0.9);
    expect(monday.gaOccupancy).toBeLessThan(0.97);
  });

  it('should have ~12-13k patients no longer meeting the criteria to reside', () => {
    expect(monday.notMeetingCriteriaAtEnd).toBeGreaterThan(10_000);
    expect(monday.notMeetingCriteriaAtEnd).toBeLessThan(15_500);
  });

  it('should be busier on Monday than on Sunday, and at 11am than at 4am', () => {
    expect(monday.edArrivals).toBeGreaterThan(sunday.edArrivals * 1.08);
    expect(monday.arrivalsByHour[11]!).toBeGreaterThan(3 * monday.arrivalsByHour[4]!);
  });
});
