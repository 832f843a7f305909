// Headline figures of a generated stream, the way the NHS publishes them, so tests and the
// README can check the generator lands in plausible ranges.
import { ageGroupOf, type ActivityEvent, type EventType } from '@pulse/contracts';
import { HOUR_MS, MINUTE_MS, londonHourOf, londonWeekdayOf } from '@pulse/refdata';

export interface RealismFigures {
  events: number;
  byType: Partial<Record<EventType, number>>;
  edArrivals: number;
  /** ED arrivals by ambulance, all department types (the figure ed_attendances_ambulance). */
  edAmbulanceArrivals: number;
  /** Share of departures (all types) within 4 hours of arrival. */
  fourHourShare: number;
  /** Share of type 1 departures (arrival seen in the stream) over 12 hours from arrival. */
  type1TwelveHourShare: number;
  childShareOfArrivals: number;
  /** Share of type 1 arrivals by ambulance. */
  type1AmbulanceShare: number;
  /** Share of type 1 departures admitted. */
  type1AdmittedShare: number;
  handoversOver30: number;
  handoversOver60: number;
  /** G&A beds occupied / open, over the last snapshot of every trust. */
  gaOccupancy: number;
  gaBedsOpen: number;
  /** Spells no longer meeting the criteria to reside and not yet discharged at the end. */
  notMeetingCriteriaAtEnd: number;
  emergencyAdmissions: number;
  /** ED arrivals per London weekday (0 = Monday). */
  arrivalsByWeekday: number[];
  /** ED arrivals per London hour of day. */
  arrivalsByHour: number[];
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/**
 * Figures of the events with occurredAt >= since; earlier ones only set the scene (type 1
 * arrivals, criteria-to-reside state, bed snapshots), so a warm-up day avoids censoring bias.
 */
export function measure(events: Iterable<ActivityEvent>, since = -Infinity): RealismFigures {
  const byType: Partial<Record<EventType, number>> = {};
  const type1 = new Set<string>();
  const arrivalsByWeekday = [0, 0, 0, 0, 0, 0, 0];
  const arrivalsByHour = new Array<number>(24).fill(0);
  let total = 0;
  let arrivals = 0;
  let ambulanceArrivals = 0;
  let children = 0;
  let t1Arrivals = 0;
  let t1Ambulance = 0;
  let departures = 0;
  let within4 = 0;
  let t1Departures = 0;
  let t1Over12 = 0;
  let t1Admitted = 0;
  let handovers = 0;
  let over30 = 0;
  let over60 = 0;
  let emergency = 0;
  const beds = new Map<string, { open: number; occupied: number }>();
  const notMeeting = new Set<string>();
  for (const e of events) {
    if (e.occurredAt < since) {
      if (e.eventType === 'ED_ARRIVAL' && e.payload.departmentType === 1) {
        type1.add(e.payload.attendanceId);
      }
      if (e.eventType === 'CRITERIA_TO_RESIDE_CHANGED' || e.eventType === 'DISCHARGE') {
        if (e.eventType === 'CRITERIA_TO_RESIDE_CHANGED' && !e.payload.meetsCriteria) {
          notMeeting.add(e.payload.spellId);
        } else notMeeting.delete(e.payload.spellId);
      }
      continue;
    }
    total++;
    byType[e.eventType] = (byType[e.eventType] ?? 0) + 1;
    switch (e.eventType) {
      case 'ED_ARRIVAL':
        arrivals++;
        arrivalsByWeekday[londonWeekdayOf(e.occurredAt)]! += 1;
        arrivalsByHour[Math.floor(londonHourOf(e.occurredAt))]! += 1;
        if (ageGroupOf(e.ageBand) === 'child') children++;
        if (e.payload.arrivalMode === 'AMBULANCE') ambulanceArrivals++;
        if (e.payload.departmentType === 1) {
          t1Arrivals++;
          type1.add(e.payload.attendanceId);
          if (e.payload.arrivalMode === 'AMBULANCE') t1Ambulance++;
        }
        break;
      case 'ED_DEPARTURE': {
        const stay = e.occurredAt - e.payload.arrivedAt;
        departures++;
        if (stay <= 4 * HOUR_MS) within4++;
        if (type1.has(e.payload.attendanceId)) {
          t1Departures++;
          if (stay >= 12 * HOUR_MS) t1Over12++;
          if (e.payload.disposal === 'ADMITTED') t1Admitted++;
        }
        break;
      }
      case 'AMBULANCE_HANDOVER': {
        const wait = e.occurredAt - e.payload.arrivedAt;
        handovers++;
        if (wait > 30 * MINUTE_MS) over30++;
        if (wait > 60 * MINUTE_MS) over60++;
        break;
      }
      case 'ADMISSION':
        if (e.payload.method === 'EMERGENCY') emergency++;
        break;
      case 'BED_STATE':
        if (e.payload.bedType === 'GENERAL_ACUTE') {
          beds.set(e.providerOds, { open: e.payload.bedsOpen, occupied: e.payload.bedsOccupied });
        }
        break;
      case 'CRITERIA_TO_RESIDE_CHANGED':
        if (e.payload.meetsCriteria) notMeeting.delete(e.payload.spellId);
        else notMeeting.add(e.payload.spellId);
        break;
      case 'DISCHARGE':
        notMeeting.delete(e.payload.spellId);
        break;
    }
  }
  let open = 0;
  let occupied = 0;
  for (const b of beds.values()) {
    open += b.open;
    occupied += b.occupied;
  }
  return {
    events: total,
    byType,
    edArrivals: arrivals,
    edAmbulanceArrivals: ambulanceArrivals,
    fourHourShare: share(within4, departures),
    type1TwelveHourShare: share(t1Over12, t1Departures),
    childShareOfArrivals: share(children, arrivals),
    type1AmbulanceShare: share(t1Ambulance, t1Arrivals),
    type1AdmittedShare: share(t1Admitted, t1Departures),
    handoversOver30: share(over30, handovers),
    handoversOver60: share(over60, handovers),
    gaOccupancy: share(occupied, open),
    gaBedsOpen: open,
    notMeetingCriteriaAtEnd: notMeeting.size,
    emergencyAdmissions: emergency,
    arrivalsByWeekday,
    arrivalsByHour,
  };
}
