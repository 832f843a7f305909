// Documented examples, made by the same code that makes real responses, so they cannot drift.
import {
  FIGURE_FAMILIES,
  addToSplit,
  emptyBedFigures,
  emptyCounterFigures,
  emptyGaugeFigures,
  type AgeGroup,
  type Split,
} from '@pulse/kpi';
import { composeSnapshot } from '../snapshot.js';

const AS_OF = Date.parse('2026-04-01T12:07:30Z');

function exampleCounters(scale: number) {
  const c = emptyCounterFigures();
  const add = (split: Split, group: AgeGroup, by: number) =>
    addToSplit(split, group, Math.round(by * scale));
  add(c.ed_attendances, 'child', 40 * scale);
  add(c.ed_attendances, 'adult', 160 * scale);
  add(c.ed_attendances, 'unknown', 2 * scale);
  add(c.ed_departures, 'child', 36 * scale);
  add(c.ed_departures, 'adult', 150 * scale);
  add(c.ed_departures_within_4h, 'child', 33 * scale);
  add(c.ed_departures_within_4h, 'adult', 110 * scale);
  add(c.ambulance_handovers, 'adult', 30 * scale);
  add(c.ambulance_handover_ms_lost, 'adult', 5_400_000 * scale);
  return c;
}

const gauges = emptyGaugeFigures();
addToSplit(gauges.ed_in_department, 'child', 9);
addToSplit(gauges.ed_in_department, 'adult', 61);
addToSplit(gauges.ed_in_department_over_12h, 'adult', 7);
addToSplit(gauges.rtt_waiting, 'adult', 52_000);
addToSplit(gauges.rtt_over_18w, 'adult', 21_000);
const beds = emptyBedFigures();
beds.ga_beds_open = 812;
beds.ga_beds_occupied = 770;

export const SNAPSHOT_EXAMPLE = composeSnapshot({
  scope: { kind: 'trust', code: 'RXN', name: 'LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST' },
  asOf: AS_OF,
  londonDate: '2026-04-01',
  live: { gauges, beds },
  today: exampleCounters(1),
  lastHour: exampleCounters(1 / 8),
  newestEventAt: AS_OF - 4_200,
  completeness: {
    reported: 1,
    expected: 1,
    families: Object.fromEntries(
      FIGURE_FAMILIES.map((family) => [family, { reported: 1, expected: 1 }]),
    ) as Record<(typeof FIGURE_FAMILIES)[number], { reported: number; expected: number }>,
  },
});
