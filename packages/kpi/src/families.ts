// Which family of figures (@pulse/refdata's FIGURE_FAMILIES: the families a trust is expected to
// report, the denominators of completeness) each event type reports and each figure belongs to.
import type { EventType } from '@pulse/contracts';
import type { FigureFamily } from '@pulse/refdata';
import type { BedFigure, CounterFigure, GaugeFigure } from './types.js';

export type { FigureFamily } from '@pulse/refdata';
export { FIGURE_FAMILIES } from '@pulse/refdata';

/** The family an accepted event reports: its provider has reported that family in its buckets. */
export const EVENT_FAMILY: Readonly<Record<EventType, FigureFamily>> = {
  ED_ARRIVAL: 'ae',
  ED_DEPARTURE: 'ae',
  AMBULANCE_HANDOVER: 'ambulance-handovers',
  ADMISSION: 'inpatient',
  CRITERIA_TO_RESIDE_CHANGED: 'inpatient',
  DISCHARGE: 'inpatient',
  BED_STATE: 'beds',
  RTT_CLOCK_START: 'rtt',
  RTT_CLOCK_STOP: 'rtt',
};

/** The family of every figure: whose providers' reports it is made of. */
export const FIGURE_FAMILY: Readonly<
  Record<CounterFigure | GaugeFigure | BedFigure, FigureFamily>
> = {
  ed_attendances: 'ae',
  ed_attendances_ambulance: 'ae',
  ed_departures: 'ae',
  ed_departures_within_4h: 'ae',
  ed_departures_over_12h: 'ae',
  ed_departures_admitted: 'ae',
  ed_in_department: 'ae',
  ed_in_department_over_12h: 'ae',
  ambulance_handovers: 'ambulance-handovers',
  ambulance_handovers_over_30m: 'ambulance-handovers',
  ambulance_handovers_over_60m: 'ambulance-handovers',
  ambulance_handover_ms_lost: 'ambulance-handovers',
  admissions_emergency: 'inpatient',
  admissions_elective: 'inpatient',
  admissions_other: 'inpatient',
  discharges_home: 'inpatient',
  discharges_care_home: 'inpatient',
  discharges_other_provider: 'inpatient',
  discharges_hospice: 'inpatient',
  discharges_died: 'inpatient',
  discharges_other: 'inpatient',
  discharges_not_meeting_ctr: 'inpatient',
  ctr_not_meeting: 'inpatient',
  ga_beds_open: 'beds',
  ga_beds_occupied: 'beds',
  rtt_clock_starts_recorded: 'rtt',
  rtt_clock_stops: 'rtt',
  rtt_waiting: 'rtt',
  rtt_over_18w: 'rtt',
  rtt_over_52w: 'rtt',
  rtt_over_65w: 'rtt',
};
