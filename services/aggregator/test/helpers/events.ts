// Valid events to build tests from; each call gets a fresh event id.
import { randomUUID } from 'node:crypto';
import type { ActivityEvent, EventOf } from '@pulse/contracts';

export function edArrival(
  providerOds: string,
  occurredAt: number,
  overrides: Partial<EventOf<'ED_ARRIVAL'>> = {},
): EventOf<'ED_ARRIVAL'> {
  return {
    eventId: randomUUID(),
    eventType: 'ED_ARRIVAL',
    providerOds,
    siteOds: null,
    occurredAt,
    emittedAt: occurredAt,
    ageBand: 'AGE_5_17',
    subjectRef: null,
    payload: {
      attendanceId: `att-${randomUUID()}`,
      arrivalMode: 'AMBULANCE',
      departmentType: 1,
      acuity: 3,
    },
    ...overrides,
  };
}

export function admission(providerOds: string, occurredAt: number): ActivityEvent {
  return {
    eventId: randomUUID(),
    eventType: 'ADMISSION',
    providerOds,
    siteOds: null,
    occurredAt,
    emittedAt: occurredAt,
    ageBand: 'AGE_65_84',
    subjectRef: null,
    payload: { spellId: `spell-${randomUUID()}`, method: 'EMERGENCY', bedType: 'GENERAL_ACUTE' },
  };
}
