// The v1 activity event catalogue, as TypeScript. The Avro schemas in ../schemas are the
// source of truth on the wire; these types mirror them field for field (a test keeps them in
// step). Instants are epoch milliseconds (UTC) in memory, `timestamp-millis` in Avro and ISO
// 8601 strings in the JSON form.

export const EVENT_TYPES = [
  'ED_ARRIVAL',
  'ED_DEPARTURE',
  'AMBULANCE_HANDOVER',
  'ADMISSION',
  'CRITERIA_TO_RESIDE_CHANGED',
  'DISCHARGE',
  'BED_STATE',
  'RTT_CLOCK_START',
  'RTT_CLOCK_STOP',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Age bands; 0-17 are children. Figures split child / adult / unknown. */
export const AGE_BANDS = [
  'AGE_0_4',
  'AGE_5_17',
  'AGE_18_64',
  'AGE_65_84',
  'AGE_85_PLUS',
  'UNKNOWN',
] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const ARRIVAL_MODES = ['AMBULANCE', 'WALK_IN', 'POLICE', 'OTHER'] as const;
export type ArrivalMode = (typeof ARRIVAL_MODES)[number];

export const DISPOSALS = ['ADMITTED', 'DISCHARGED', 'TRANSFERRED', 'LEFT', 'DIED'] as const;
export type Disposal = (typeof DISPOSALS)[number];

export const ADMISSION_METHODS = ['EMERGENCY', 'ELECTIVE', 'OTHER'] as const;
export type AdmissionMethod = (typeof ADMISSION_METHODS)[number];

/** GENERAL_ACUTE beds are the G&A beds of the daily sitrep. */
export const BED_TYPES = ['GENERAL_ACUTE', 'CRITICAL_CARE', 'OTHER'] as const;
export type BedType = (typeof BED_TYPES)[number];

export const DISCHARGE_DESTINATIONS = [
  'HOME',
  'CARE_HOME',
  'OTHER_PROVIDER',
  'HOSPICE',
  'DIED',
  'OTHER',
] as const;
export type DischargeDestination = (typeof DISCHARGE_DESTINATIONS)[number];

/** Fields every event carries. */
export interface Envelope {
  /** UUID; the idempotency key. */
  eventId: string;
  /** ODS code of the publishing trust: 3 characters (RGT) or 5 (G6V2S). Kafka key. */
  providerOds: string;
  /** ODS code of the site, where known (required for BED_STATE). */
  siteOds: string | null;
  /** When it happened (epoch ms, UTC). Figures are bucketed by this. */
  occurredAt: number;
  /** When the EPR emitted it (epoch ms, UTC). */
  emittedAt: number;
  ageBand: AgeBand;
  /** Keyed pseudonym of the patient; never an NHS number, name, date of birth or postcode. */
  subjectRef: string | null;
}

export interface EdArrival {
  attendanceId: string;
  arrivalMode: ArrivalMode;
  /** Emergency department type 1 (major A&E), 2 (single specialty) or 3 (UTC/MIU). */
  departmentType: 1 | 2 | 3;
  /** Initial acuity 1 (immediate) to 5 (non-urgent), where assessed. */
  acuity: 1 | 2 | 3 | 4 | 5 | null;
}

export interface EdDeparture {
  attendanceId: string;
  /** Arrival time of the attendance (epoch ms); departure is `occurredAt`. */
  arrivedAt: number;
  disposal: Disposal;
  /** Decision to admit (epoch ms), between arrival and departure, where made. */
  decisionToAdmitAt: number | null;
}

export interface AmbulanceHandover {
  /** Ambulance arrival at hospital (epoch ms); the handover is `occurredAt`. */
  arrivedAt: number;
}

export interface Admission {
  spellId: string;
  method: AdmissionMethod;
  bedType: BedType;
}

export interface CriteriaToResideChanged {
  spellId: string;
  meetsCriteria: boolean;
}

export interface Discharge {
  spellId: string;
  /** Admission time of the spell (epoch ms); discharge is `occurredAt`. */
  admittedAt: number;
  destination: DischargeDestination;
}

export interface BedState {
  bedType: BedType;
  bedsOpen: number;
  bedsOccupied: number;
}

export interface RttClockStart {
  pathwayId: string;
  /** When the 18-week clock started (epoch ms); may precede `occurredAt`. */
  clockStartAt: number;
  /** Treatment function code, 3 digits (e.g. "100" general surgery). */
  treatmentFunction: string;
}

export interface RttClockStop {
  pathwayId: string;
  clockStartAt: number;
  treatmentFunction: string;
}

interface PayloadByType {
  ED_ARRIVAL: EdArrival;
  ED_DEPARTURE: EdDeparture;
  AMBULANCE_HANDOVER: AmbulanceHandover;
  ADMISSION: Admission;
  CRITERIA_TO_RESIDE_CHANGED: CriteriaToResideChanged;
  DISCHARGE: Discharge;
  BED_STATE: BedState;
  RTT_CLOCK_START: RttClockStart;
  RTT_CLOCK_STOP: RttClockStop;
}

/** One activity event: the envelope, its type, and that type's own fields under `payload`. */
export type ActivityEvent = {
  [T in EventType]: Envelope & { eventType: T; payload: PayloadByType[T] };
}[EventType];

/** The event of one type, e.g. `EventOf<'ED_ARRIVAL'>`. */
export type EventOf<T extends EventType> = Extract<ActivityEvent, { eventType: T }>;
export type PayloadOf<T extends EventType> = PayloadByType[T];

/** Child / adult / unknown, the split every figure carries. */
export type AgeGroup = 'child' | 'adult' | 'unknown';

export function ageGroupOf(band: AgeBand): AgeGroup {
  if (band === 'UNKNOWN') return 'unknown';
  return band === 'AGE_0_4' || band === 'AGE_5_17' ? 'child' : 'adult';
}
