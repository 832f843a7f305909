import { describe, expect, it } from 'vitest';
import {
  ContractError,
  EMIT_SKEW_TOLERANCE_MS,
  EVENT_TYPES,
  EXAMPLE_EVENTS,
  findIssues,
  validateEvent,
} from '../src/index.js';
import { firstIssue, variant } from './support/variant.js';

const MIN = 60_000;

describe('validateEvent', () => {
  it.each(EVENT_TYPES)('validateEvent should accept the %s example', (type) => {
    expect(findIssues(EXAMPLE_EVENTS[type])).toEqual([]);
    expect(() => validateEvent(EXAMPLE_EVENTS[type])).not.toThrow();
  });

  it.each([
    ['a non-UUID eventId', { eventId: 'evt-1' }, 'eventId'],
    ['an uppercase eventId', { eventId: '0F8E2A36-6C1B-4C57-9D0E-5B2F7A1C3E01' }, 'eventId'],
    ['a lowercase ODS code', { providerOds: 'rgt' }, 'providerOds'],
    ['a 4-character ODS code', { providerOds: 'RGT0' }, 'providerOds'],
    ['a 6-character site code', { siteOds: 'RGT01X' }, 'siteOds'],
    ['an age band out of range', { ageBand: 'AGE_120_PLUS' }, 'ageBand'],
    ['a fractional instant', { occurredAt: 1.5 }, 'occurredAt'],
    ['an instant as a string', { emittedAt: '2026-11-22T09:30:00Z' }, 'emittedAt'],
    ['an unknown event type', { eventType: 'ED_TRANSFER' }, 'eventType'],
    ['a subjectRef that is a number', { subjectRef: 9434765919 }, 'subjectRef'],
    ['a missing envelope field', { providerOds: undefined }, 'providerOds'],
  ])('validateEvent should reject %s as INVALID_FIELD', (_what, envelope, path) => {
    expect(firstIssue(variant('ADMISSION', envelope))).toEqual(['INVALID_FIELD', path]);
  });

  it.each([
    ['ED_ARRIVAL', { departmentType: 4 }, 'payload.departmentType'],
    ['ED_ARRIVAL', { acuity: 0 }, 'payload.acuity'],
    ['ED_ARRIVAL', { arrivalMode: 'HELICOPTER' }, 'payload.arrivalMode'],
    ['ED_DEPARTURE', { disposal: 'ESCAPED' }, 'payload.disposal'],
    ['ADMISSION', { spellId: 'x'.repeat(129) }, 'payload.spellId'],
    ['CRITERIA_TO_RESIDE_CHANGED', { meetsCriteria: 'no' }, 'payload.meetsCriteria'],
    ['BED_STATE', { bedsOpen: -1 }, 'payload.bedsOpen'],
    ['BED_STATE', { bedsOccupied: 2.5 }, 'payload.bedsOccupied'],
    ['BED_STATE', { bedsOpen: 10, bedsOccupied: 11 }, 'payload.bedsOccupied'],
    ['RTT_CLOCK_START', { treatmentFunction: '10' }, 'payload.treatmentFunction'],
    ['RTT_CLOCK_STOP', { treatmentFunction: 'A00' }, 'payload.treatmentFunction'],
    ['AMBULANCE_HANDOVER', { spellId: 'IP-1', arrivedAt: undefined }, 'payload.arrivedAt'],
  ] as const)(
    'validateEvent should reject a bad %s payload field as INVALID_FIELD (%o)',
    (type, payload, path) => {
      expect(firstIssue(variant(type, {}, payload))).toEqual(['INVALID_FIELD', path]);
    },
  );

  it('validateEvent should reject a payload of another event type as INVALID_FIELD', () => {
    const event = { ...EXAMPLE_EVENTS.ED_ARRIVAL, payload: EXAMPLE_EVENTS.DISCHARGE.payload };
    expect(firstIssue(event)).toEqual(['INVALID_FIELD', 'payload.attendanceId']);
    expect(firstIssue({ ...EXAMPLE_EVENTS.ED_ARRIVAL, payload: null })).toEqual([
      'INVALID_FIELD',
      'payload',
    ]);
  });

  it('validateEvent should require siteOds for BED_STATE', () => {
    expect(firstIssue(variant('BED_STATE', { siteOds: null }))).toEqual([
      'INVALID_FIELD',
      'siteOds',
    ]);
  });

  it('validateEvent should reject something that is not an object', () => {
    expect(firstIssue('event')).toEqual(['INVALID_FIELD', '']);
  });

  const at = EXAMPLE_EVENTS.ED_DEPARTURE.occurredAt;
  it.each([
    [
      'ED_DEPARTURE',
      'a departure before its arrival',
      { arrivedAt: at + MIN },
      'payload.arrivedAt',
    ],
    [
      'ED_DEPARTURE',
      'a decision to admit before arrival',
      { decisionToAdmitAt: at - 300 * MIN },
      'payload.decisionToAdmitAt',
    ],
    [
      'ED_DEPARTURE',
      'a decision to admit after departure',
      { decisionToAdmitAt: at + MIN },
      'payload.decisionToAdmitAt',
    ],
    [
      'AMBULANCE_HANDOVER',
      'a handover before the ambulance arrived',
      { arrivedAt: at + MIN },
      'payload.arrivedAt',
    ],
    [
      'DISCHARGE',
      'a discharge before its admission',
      { admittedAt: at + MIN },
      'payload.admittedAt',
    ],
    [
      'RTT_CLOCK_START',
      'a clock starting after the event',
      { clockStartAt: at + MIN },
      'payload.clockStartAt',
    ],
    [
      'RTT_CLOCK_STOP',
      'a clock stopping before it started',
      { clockStartAt: at + MIN },
      'payload.clockStartAt',
    ],
  ] as const)(
    'validateEvent should reject %s: %s as INVALID_TIME_ORDER',
    (type, _what, payload, path) => {
      expect(firstIssue(variant(type, {}, payload))).toEqual(['INVALID_TIME_ORDER', path]);
    },
  );

  it('validateEvent should allow emittedAt up to the skew tolerance before occurredAt, not more', () => {
    const within = variant('ADMISSION', { emittedAt: at - EMIT_SKEW_TOLERANCE_MS });
    const beyond = variant('ADMISSION', { emittedAt: at - EMIT_SKEW_TOLERANCE_MS - 1 });
    expect(findIssues(within)).toEqual([]);
    expect(firstIssue(beyond)).toEqual(['INVALID_TIME_ORDER', 'emittedAt']);
  });

  it('validateEvent should throw a ContractError naming the first rule and listing all', () => {
    const bad = variant('BED_STATE', { providerOds: 'x', ageBand: 'OLD' }, { bedsOpen: -2 });
    const err = (() => {
      try {
        validateEvent(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ContractError);
    const error = err as ContractError;
    expect(error.code).toBe('INVALID_FIELD');
    expect(error.path).toBe('providerOds');
    expect(error.message).toMatch(
      /^INVALID_FIELD at providerOds: must be an ODS code .* \(and 2 more\)$/,
    );
    expect(error.issues.map((i) => i.path)).toEqual(['providerOds', 'ageBand', 'payload.bedsOpen']);
  });
});
