import { describe, expect, it } from 'vitest';
import {
  ContractError,
  EVENT_TYPES,
  EXAMPLE_EVENTS,
  fromJson,
  parseInstant,
  toJson,
} from '../src/index.js';

function errorOf(run: () => unknown): ContractError {
  try {
    run();
  } catch (err) {
    if (err instanceof ContractError) return err;
    throw err;
  }
  throw new Error('expected a ContractError');
}

describe('JSON form', () => {
  it.each(EVENT_TYPES)(
    'toJson and fromJson should round-trip a %s event through JSON text',
    (type) => {
      const text = JSON.stringify(toJson(EXAMPLE_EVENTS[type]));
      expect(fromJson(JSON.parse(text))).toStrictEqual(EXAMPLE_EVENTS[type]);
    },
  );

  it('toJson should write instants as ISO 8601 UTC strings under the same field names', () => {
    expect(toJson(EXAMPLE_EVENTS.ED_DEPARTURE)).toStrictEqual({
      ...EXAMPLE_EVENTS.ED_DEPARTURE,
      occurredAt: '2026-11-22T09:30:00.000Z',
      emittedAt: '2026-11-22T09:30:02.000Z',
      payload: {
        attendanceId: 'ED-2026-00012345',
        arrivedAt: '2026-11-22T05:20:00.000Z',
        disposal: 'ADMITTED',
        decisionToAdmitAt: '2026-11-22T08:00:00.000Z',
      },
    });
  });

  it('fromJson should drop fields the contract does not know', () => {
    const json = { ...toJson(EXAMPLE_EVENTS.ADMISSION), extra: 1 };
    expect(fromJson(json)).toStrictEqual(EXAMPLE_EVENTS.ADMISSION);
  });

  it('fromJson should report a bad instant with its path', () => {
    const json = toJson(EXAMPLE_EVENTS.DISCHARGE);
    const err = errorOf(() => fromJson({ ...json, payload: { ...json.payload, admittedAt: 1 } }));
    expect(err.code).toBe('INVALID_FIELD');
    expect(err.path).toBe('payload.admittedAt');
    expect(err.detail).toMatch(/ISO 8601 UTC instant/);
  });

  it('fromJson should report every bad field, instants and rules alike', () => {
    const json = toJson(EXAMPLE_EVENTS.ED_ARRIVAL);
    const err = errorOf(() =>
      fromJson({ ...json, occurredAt: 'yesterday', emittedAt: '2026-11-22' }),
    );
    expect(err.issues.map((i) => i.path)).toEqual(['occurredAt', 'emittedAt']);
    const rules = errorOf(() => fromJson({ ...json, providerOds: 'R', ageBand: 'AGE_0_1' }));
    expect(rules.issues.map((i) => i.path)).toEqual(['providerOds', 'ageBand']);
  });

  it('fromJson should apply the time-order rules of the codec', () => {
    const json = toJson(EXAMPLE_EVENTS.AMBULANCE_HANDOVER);
    const late = { ...json, payload: { arrivedAt: '2026-11-22T09:31:00Z' } };
    expect(errorOf(() => fromJson(late)).code).toBe('INVALID_TIME_ORDER');
  });

  it('fromJson should reject a body that is not an object', () => {
    expect(errorOf(() => fromJson([1, 2])).code).toBe('INVALID_FIELD');
    expect(errorOf(() => fromJson(null)).path).toBe('');
  });

  it.each([
    ['2026-11-22T09:30:00Z', Date.UTC(2026, 10, 22, 9, 30)],
    ['2026-11-22T09:30:00.5Z', Date.UTC(2026, 10, 22, 9, 30, 0, 500)],
    ['2024-02-29T23:59:59.999Z', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ['2026-02-29T00:00:00Z', undefined],
    ['2026-11-22T24:00:00Z', undefined],
    ['2026-11-22T09:30:00+01:00', undefined],
    ['2026-11-22T09:30Z', undefined],
    ['2026-11-22T09:30:00.1234Z', undefined],
  ])('parseInstant should read %s as %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });
});
