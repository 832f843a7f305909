// What one accepted event does: counter increments (for each of its scopes and buckets) and
// per-trust state ops. Pure and cheap: runs once per event at tens of thousands a second.
import {
  ageGroupOf,
  type ActivityEvent,
  type AdmissionMethod,
  type DischargeDestination,
  type EventOf,
} from '@pulse/contracts';
import {
  ED_OVER_MS,
  ED_WITHIN_MS,
  HANDOVER_OVER_30M_MS,
  HANDOVER_OVER_60M_MS,
  HANDOVER_STANDARD_MS,
} from './thresholds.js';
import { EVENT_FAMILY } from './families.js';
import {
  AGE_GROUPS,
  COUNTER_FIGURES,
  NOT_MEETING_DISCHARGES,
  type AgeGroup,
  type CounterFigure,
  type CounterIncrement,
  type EventEffects,
} from './types.js';

/** `+1` increments, one frozen object per figure and group, shared by every event's effects. */
const ONE = Object.fromEntries(
  COUNTER_FIGURES.map((figure) => [
    figure,
    Object.fromEntries(AGE_GROUPS.map((group) => [group, Object.freeze({ figure, group, by: 1 })])),
  ]),
) as Record<CounterFigure, Record<AgeGroup, CounterIncrement>>;

export const ADMISSION_FIGURE: Readonly<Record<AdmissionMethod, CounterFigure>> = {
  EMERGENCY: 'admissions_emergency',
  ELECTIVE: 'admissions_elective',
  OTHER: 'admissions_other',
};

export const DISCHARGE_FIGURE: Readonly<Record<DischargeDestination, CounterFigure>> = {
  HOME: 'discharges_home',
  CARE_HOME: 'discharges_care_home',
  OTHER_PROVIDER: 'discharges_other_provider',
  HOSPICE: 'discharges_hospice',
  DIED: 'discharges_died',
  OTHER: 'discharges_other',
};

function edDeparture(e: EventOf<'ED_DEPARTURE'>, group: AgeGroup): Omit<EventEffects, 'family'> {
  const stay = e.occurredAt - e.payload.arrivedAt;
  const counters = [ONE.ed_departures[group]];
  if (stay <= ED_WITHIN_MS) counters.push(ONE.ed_departures_within_4h[group]);
  if (stay >= ED_OVER_MS) counters.push(ONE.ed_departures_over_12h[group]);
  if (e.payload.disposal === 'ADMITTED') counters.push(ONE.ed_departures_admitted[group]);
  return {
    counters,
    state: [{ op: 'close', set: 'ed', id: e.payload.attendanceId, at: e.occurredAt }],
  };
}

function ambulanceHandover(
  e: EventOf<'AMBULANCE_HANDOVER'>,
  group: AgeGroup,
): Omit<EventEffects, 'family'> {
  const wait = e.occurredAt - e.payload.arrivedAt;
  const counters = [ONE.ambulance_handovers[group]];
  if (wait > HANDOVER_OVER_30M_MS) counters.push(ONE.ambulance_handovers_over_30m[group]);
  if (wait > HANDOVER_OVER_60M_MS) counters.push(ONE.ambulance_handovers_over_60m[group]);
  const lost = wait - HANDOVER_STANDARD_MS;
  if (lost > 0) counters.push({ figure: 'ambulance_handover_ms_lost', group, by: lost });
  return { counters, state: [] };
}

/**
 * The effects of one accepted event. Increment objects with `by: 1` are shared and frozen: read
 * them, never mutate them. Arrays are fresh per call.
 */
export function effectsOf(event: ActivityEvent): EventEffects {
  return { family: EVENT_FAMILY[event.eventType], ...effectsByType(event) };
}

function effectsByType(event: ActivityEvent): Omit<EventEffects, 'family'> {
  const group = ageGroupOf(event.ageBand);
  switch (event.eventType) {
    case 'ED_ARRIVAL': {
      const { attendanceId, arrivalMode } = event.payload;
      const counters = [ONE.ed_attendances[group]];
      if (arrivalMode === 'AMBULANCE') counters.push(ONE.ed_attendances_ambulance[group]);
      return {
        counters,
        state: [{ op: 'open', set: 'ed', id: attendanceId, score: event.occurredAt, group }],
      };
    }
    case 'ED_DEPARTURE':
      return edDeparture(event, group);
    case 'AMBULANCE_HANDOVER':
      return ambulanceHandover(event, group);
    case 'ADMISSION':
      return { counters: [ONE[ADMISSION_FIGURE[event.payload.method]][group]], state: [] };
    case 'CRITERIA_TO_RESIDE_CHANGED': {
      const { spellId, meetsCriteria } = event.payload;
      const at = event.occurredAt;
      return { counters: [], state: [{ op: 'ctr', spellId, meets: meetsCriteria, group, at }] };
    }
    case 'DISCHARGE': {
      const { spellId, destination } = event.payload;
      const ifNotMeeting = [ONE[NOT_MEETING_DISCHARGES][group]];
      return {
        counters: [ONE[DISCHARGE_FIGURE[destination]][group]],
        state: [{ op: 'discharge', spellId, at: event.occurredAt, ifNotMeeting }],
      };
    }
    case 'BED_STATE': {
      const { bedType, bedsOpen, bedsOccupied } = event.payload;
      // siteOds is required for BED_STATE by the contract; a trust-level snapshot falls back to
      // the provider so it still has one stable slot.
      const siteOds = event.siteOds ?? event.providerOds;
      const at = event.occurredAt;
      return {
        counters: [],
        state: [{ op: 'beds', siteOds, bedType, at, open: bedsOpen, occupied: bedsOccupied }],
      };
    }
    case 'RTT_CLOCK_START': {
      const { pathwayId, clockStartAt } = event.payload;
      return {
        counters: [ONE.rtt_clock_starts_recorded[group]],
        state: [{ op: 'open', set: 'rtt', id: pathwayId, score: clockStartAt, group }],
      };
    }
    case 'RTT_CLOCK_STOP':
      return {
        counters: [ONE.rtt_clock_stops[group]],
        state: [{ op: 'close', set: 'rtt', id: event.payload.pathwayId, at: event.occurredAt }],
      };
  }
}
