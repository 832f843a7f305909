// One valid example of every event type, for documentation, API examples, tests and benchmarks.
import type { EventOf, EventType } from './events.js';

const T = Date.UTC(2026, 10, 22, 9, 30); // 2026-11-22T09:30:00.000Z
const MIN = 60_000;
const base = {
  providerOds: 'RGT',
  siteOds: 'RGT01',
  occurredAt: T,
  emittedAt: T + 2_000,
  ageBand: 'AGE_18_64',
  // HMAC-SHA-256 of a patient identifier under a trust's key, hex (an illustration, no real key).
  subjectRef: '5f0c9a7e3b1d4e26a8c1f27d09b34e6c8d2a71f5e0b96c43d17e8a2f6b05c9d1',
} as const;

/** A valid event of each type; every eventId differs. */
export const EXAMPLE_EVENTS: { readonly [T in EventType]: EventOf<T> } = {
  ED_ARRIVAL: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e01',
    eventType: 'ED_ARRIVAL',
    ageBand: 'AGE_5_17',
    payload: {
      attendanceId: 'ED-2026-00012345',
      arrivalMode: 'AMBULANCE',
      departmentType: 1,
      acuity: 3,
    },
  },
  ED_DEPARTURE: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e02',
    eventType: 'ED_DEPARTURE',
    payload: {
      attendanceId: 'ED-2026-00012345',
      arrivedAt: T - 250 * MIN,
      disposal: 'ADMITTED',
      decisionToAdmitAt: T - 90 * MIN,
    },
  },
  AMBULANCE_HANDOVER: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e03',
    eventType: 'AMBULANCE_HANDOVER',
    ageBand: 'AGE_85_PLUS',
    subjectRef: null,
    payload: { arrivedAt: T - 42 * MIN },
  },
  ADMISSION: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e04',
    eventType: 'ADMISSION',
    payload: { spellId: 'IP-2026-00778812', method: 'EMERGENCY', bedType: 'GENERAL_ACUTE' },
  },
  CRITERIA_TO_RESIDE_CHANGED: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e05',
    eventType: 'CRITERIA_TO_RESIDE_CHANGED',
    ageBand: 'AGE_65_84',
    payload: { spellId: 'IP-2026-00778812', meetsCriteria: false },
  },
  DISCHARGE: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e06',
    eventType: 'DISCHARGE',
    ageBand: 'AGE_65_84',
    payload: {
      spellId: 'IP-2026-00778812',
      admittedAt: T - 6 * 24 * 60 * MIN,
      destination: 'CARE_HOME',
    },
  },
  BED_STATE: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e07',
    eventType: 'BED_STATE',
    ageBand: 'UNKNOWN',
    subjectRef: null,
    payload: { bedType: 'GENERAL_ACUTE', bedsOpen: 812, bedsOccupied: 774 },
  },
  RTT_CLOCK_START: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e08',
    eventType: 'RTT_CLOCK_START',
    siteOds: null,
    payload: {
      pathwayId: 'RGT-RTT-00055120',
      clockStartAt: T - 3 * 24 * 60 * MIN,
      treatmentFunction: '100',
    },
  },
  RTT_CLOCK_STOP: {
    ...base,
    eventId: '0f8e2a36-6c1b-4c57-9d0e-5b2f7a1c3e09',
    eventType: 'RTT_CLOCK_STOP',
    ageBand: 'AGE_0_4',
    payload: {
      pathwayId: 'RGT-RTT-00041007',
      clockStartAt: T - 130 * 24 * 60 * MIN,
      treatmentFunction: '420',
    },
  },
};
