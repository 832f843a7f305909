// Every modelling assumption of the generator in one table, with where its order of magnitude
// comes from. Figures are England totals for an average day unless said otherwise; the README
// gives the ranges they are meant to land in. Sources: NHS England A&E Attendances and Emergency
// Admissions (monthly, 2024-25), the UEC daily situation reports (winter 2024-25: handovers,
// G&A beds, criteria to reside), KH03 bed availability, Hospital Episode Statistics (admitted
// patient care, length of stay), RTT waiting times (2024-25), ECDS arrival profiles.
import type { AgeBand } from '@pulse/contracts';

/** England-scale daily volumes, shared out over trusts by their seeded size. */
export const ENGLAND_PER_DAY = {
  /** A&E attendances, all department types (~2.2-2.4m a month). */
  edAttendances: 75_000,
  /** Emergency admissions not through A&E (GP and SDEC referrals, direct to assessment units). */
  directEmergencyAdmissions: 5_000,
  /** Elective ordinary (overnight) admissions on a weekday. */
  electiveOrdinaryWeekday: 5_500,
  /** Elective day cases on a weekday. */
  electiveDayCaseWeekday: 18_000,
  /**
   * RTT waiting list (incomplete pathways), before --rtt-scale: England's at the end of August
   * 2025 (NHS England, Consultant-led Referral to Treatment Waiting Times, August 2025).
   */
  rttWaitingList: 7_414_794,
} as const;

/** Weekend elective activity as a share of a weekday's. */
export const ELECTIVE_WEEKEND_FACTOR = 0.1;

/**
 * Mean RTT pathway length in days (waiting list / clock stops a day): 148 gives ~50k starts and
 * ~50k stops a day in England (August 2025: 1,625,326 new pathways, 1,396,201 completed).
 */
export const RTT_MEAN_PATHWAY_DAYS = 148;

/** A&E arrivals by local hour 0-23 (relative; ECDS profile: 4am trough, late-morning peak). */
export const ED_HOURLY_SHAPE = [
  2.6, 2.0, 1.6, 1.35, 1.2, 1.25, 1.6, 2.5, 4.0, 5.4, 6.2, 6.4, 6.2, 6.0, 5.8, 5.7, 5.7, 5.8, 5.8,
  5.5, 5.0, 4.4, 3.7, 3.1,
] as const;

/** A&E attendances by day of week, Monday first (relative; Mondays busiest). */
export const ED_WEEKDAY_SHAPE = [1.12, 1.02, 0.99, 0.98, 0.99, 0.95, 0.95] as const;

/** Direct (non-A&E) emergency admissions by local hour: GP and SDEC referrals, daytime. */
export const DAYTIME_HOURLY_SHAPE = [
  0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.5, 3, 4, 4.5, 4.5, 4.5, 4.5, 4.5, 4.2, 3.8, 3, 2, 1.4,
  1, 0.7, 0.5,
] as const;

/** Elective admissions by local hour: morning lists. */
export const ELECTIVE_HOURLY_SHAPE = [
  0, 0, 0, 0, 0, 0, 0.5, 4, 6, 4, 2.5, 2, 3, 2.5, 1.5, 0.8, 0.4, 0.2, 0, 0, 0, 0, 0, 0,
] as const;

/** Discharges of overnight spells by local hour: afternoon peak. */
export const DISCHARGE_HOURLY_SHAPE = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 2.5, 3.5, 4.5, 5, 5.5, 6, 6, 5.5, 4.5, 3.5, 2.5,
  1.5, 0.8, 0.4,
] as const;

export const AGE_BAND_ORDER: readonly AgeBand[] = [
  'AGE_0_4',
  'AGE_5_17',
  'AGE_18_64',
  'AGE_65_84',
  'AGE_85_PLUS',
  'UNKNOWN',
];

/** A&E attendances by age band (children 0-17 about a quarter). */
export const ED_AGE_MIX = [0.11, 0.14, 0.5, 0.17, 0.06, 0.02] as const;
/** Elective and RTT patients by age band. */
export const ELECTIVE_AGE_MIX = [0.03, 0.06, 0.48, 0.36, 0.05, 0.02] as const;

/** A&E department types 1/2/3 at an acute trust. */
export const DEPARTMENT_TYPE_MIX = [0.62, 0.02, 0.36] as const;

/** Chance an attendance at a type 1 department arrives by ambulance, by age band (~21% overall). */
export const TYPE1_AMBULANCE_BY_AGE = [0.07, 0.06, 0.17, 0.42, 0.62, 0.2] as const;
export const TYPE2_AMBULANCE = 0.05;
export const TYPE3_AMBULANCE = 0.02;
export const POLICE_SHARE = 0.005;
export const OTHER_ARRIVAL_SHARE = 0.03;

/** Initial acuity 1..5 then "not assessed" (null), by department type. */
export const ACUITY_MIX = {
  1: [0.015, 0.2, 0.45, 0.27, 0.035, 0.03],
  2: [0.0, 0.05, 0.35, 0.45, 0.1, 0.05],
  3: [0.0, 0.02, 0.2, 0.58, 0.15, 0.05],
} as const;

/** Chance a type 1 attendance is admitted, by age band (~26% overall). */
export const TYPE1_ADMIT_BY_AGE = [0.13, 0.09, 0.25, 0.5, 0.62, 0.2] as const;
export const TYPE2_ADMIT = 0.08;
export const TYPE3_ADMIT = 0.005;
/** Other disposals by department type: [transferred, left, died]; the rest are discharged. */
export const OTHER_DISPOSALS = {
  1: [0.015, 0.035, 0.001],
  2: [0.01, 0.02, 0],
  3: [0.03, 0.02, 0],
} as const;

/**
 * Minutes from arrival to departure: log-normal (median, sigma). Tuned so ~72-75% of all
 * departures are within 4 hours (type 1 ~57-60%) and ~8-10% of type 1 stay over 12 hours.
 */
export const ED_STAY_MINUTES = {
  type1Admitted: { median: 540, sigma: 0.8 },
  type1NotAdmitted: { median: 170, sigma: 0.6 },
  type2: { median: 100, sigma: 0.6 },
  type3: { median: 75, sigma: 0.6 },
  /** Longest stay modelled (2 days). */
  max: 2880,
} as const;

/** Decision to admit, as a share of the stay, for admitted attendances. */
export const DTA_SHARE_OF_STAY = [0.25, 0.6] as const;

/** Ambulance arrival to handover, minutes: ~25-30% over 30, ~8-12% over 60. */
export const HANDOVER_MINUTES = { median: 18, sigma: 0.9, min: 3, max: 600 } as const;
/**
 * Direct emergency admissions arriving by ambulance (conveyed to an assessment unit): a handover
 * with no ED arrival. 12% of ~5k a day is ~600, which with the type 3 arrivals by ambulance puts
 * ~9.7% of conveyances elsewhere than a type 1 or 2 A&E, as KA34 found in 2012-13 (0.49m of 5.02m
 * emergency patient journeys; HSCIC, Ambulance Services, England 2012-13).
 */
export const DIRECT_AMBULANCE_SHARE = 0.12;

/** Bed type of a spell by admission route: [GENERAL_ACUTE, CRITICAL_CARE, OTHER]. */
export const BED_TYPE_MIX = {
  emergency: [0.92, 0.02, 0.06],
  electiveOrdinary: [0.85, 0.05, 0.1],
} as const;

/** Length of stay in days: log-normal (median, sigma), capped. Means: ~5.6 d adult emergency. */
export const LENGTH_OF_STAY_DAYS = {
  emergencyAdult: { median: 2.73, sigma: 1.2 },
  emergencyChild: { median: 1.0, sigma: 1.0 },
  electiveOrdinary: { median: 2.0, sigma: 0.8 },
  criticalCare: { median: 3.0, sigma: 0.9 },
  /** Day cases: hours, same day. */
  dayCaseHours: [3, 8],
  max: 120,
} as const;

/** Target occupancy per bed type (a trust's value is drawn uniformly in the range). */
export const OCCUPANCY_TARGET = {
  GENERAL_ACUTE: [0.915, 0.955],
  CRITICAL_CARE: [0.76, 0.86],
  OTHER: [0.7, 0.85],
} as const;

/**
 * No longer meeting the criteria to reside: adult G&A spells of 2+ days may stop meeting them at
 * a point in the stay, and are then discharged (~12-13k patients at a time in England).
 */
export const CRITERIA_TO_RESIDE = {
  minStayDays: 2,
  chanceLongStay: 0.62,
  longStayDays: 7,
  chanceShortStay: 0.22,
  /** When in the stay the patient stops meeting the criteria (share of the stay). */
  pointInStay: [0.5, 0.8],
} as const;

/** Discharge destinations [HOME, CARE_HOME, OTHER_PROVIDER, HOSPICE, DIED, OTHER]. */
export const DESTINATION_MIX = {
  usual: [0.87, 0.035, 0.04, 0.003, 0.025, 0.027],
  delayed: [0.6, 0.2, 0.12, 0.02, 0.02, 0.04],
} as const;

/** RTT waiting list by weeks waited: [from, to, share]; ~59% within 18 weeks, ~3% over 52. */
export const RTT_WAIT_BANDS = [
  [0, 18, 0.59],
  [18, 40, 0.31],
  [40, 52, 0.07],
  [52, 65, 0.028],
  [65, 80, 0.002],
] as const;

/** Treatment function codes RTT pathways are drawn from, with weights. */
export const TREATMENT_FUNCTIONS: readonly (readonly [string, number])[] = [
  ['100', 7],
  ['101', 4],
  ['110', 10],
  ['120', 7],
  ['130', 9],
  ['140', 3],
  ['300', 4],
  ['301', 6],
  ['320', 5],
  ['330', 5],
  ['340', 3],
  ['400', 3],
  ['410', 2],
  ['430', 2],
  ['502', 8],
  ['999', 20],
];

/**
 * emittedAt - occurredAt in seconds: log-normal median, sigma and cap (EPR to integration engine).
 * The cap is the aggregator's default MAX_FUTURE_MINUTES: a record is sent when simulated time
 * reaches its occurredAt, so a longer delay would put emittedAt beyond the aggregator's clock and
 * get the record refused as EMITTED_IN_FUTURE (about 0.1% of events with a 10-minute cap).
 */
export const EMIT_DELAY_SECONDS = { median: 15, sigma: 1.0, max: 300 } as const;

/** A&E is simulated from this long before `from`, so the department is not empty at the start. */
export const ED_WARM_UP_MS = 24 * 3_600_000;
