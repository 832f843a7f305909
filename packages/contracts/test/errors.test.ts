import { describe, expect, it } from 'vitest';
import type { ContractError } from '../src/index.js';
import {
  CONTRACT_ERRORS,
  CONTRACT_ERROR_CODES,
  EXAMPLE_EVENTS,
  createCodec,
  isContractError,
  validateEvent,
  type ContractErrorCode,
} from '../src/index.js';

const codec = createCodec();
const good = codec.encode(EXAMPLE_EVENTS.ED_ARRIVAL);

/** One specific bad input per code. */
const PROVOKE: Record<ContractErrorCode, () => unknown> = {
  BAD_MARKER: () => codec.decode(Buffer.from([0x00, 0x01, ...good.subarray(2)])),
  UNKNOWN_FINGERPRINT: () => codec.decode(Buffer.from([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0])),
  CORRUPT_BODY: () => codec.decode(good.subarray(0, 20)),
  INVALID_FIELD: () => validateEvent({ ...EXAMPLE_EVENTS.ED_ARRIVAL, providerOds: 'R-GT' }),
  INVALID_TIME_ORDER: () =>
    validateEvent({
      ...EXAMPLE_EVENTS.DISCHARGE,
      payload: { ...EXAMPLE_EVENTS.DISCHARGE.payload, admittedAt: Date.UTC(2027, 0, 1) },
    }),
  IDENTIFIER_IN_SUBJECT_REF: () =>
    validateEvent({ ...EXAMPLE_EVENTS.ED_ARRIVAL, subjectRef: '943-476-5919' }),
  ED_STAY_TOO_LONG: () =>
    validateEvent({
      ...EXAMPLE_EVENTS.ED_DEPARTURE,
      payload: { ...EXAMPLE_EVENTS.ED_DEPARTURE.payload, arrivedAt: 0, decisionToAdmitAt: null },
    }),
  HANDOVER_TOO_LONG: () =>
    validateEvent({ ...EXAMPLE_EVENTS.AMBULANCE_HANDOVER, payload: { arrivedAt: 0 } }),
  SPELL_TOO_LONG: () =>
    validateEvent({
      ...EXAMPLE_EVENTS.DISCHARGE,
      payload: { ...EXAMPLE_EVENTS.DISCHARGE.payload, admittedAt: 0 },
    }),
  RTT_WAIT_TOO_LONG: () =>
    validateEvent({
      ...EXAMPLE_EVENTS.RTT_CLOCK_START,
      payload: { ...EXAMPLE_EVENTS.RTT_CLOCK_START.payload, clockStartAt: 0 },
    }),
  TOO_MANY_BEDS: () =>
    validateEvent({
      ...EXAMPLE_EVENTS.BED_STATE,
      payload: { ...EXAMPLE_EVENTS.BED_STATE.payload, bedsOpen: 1e9 },
    }),
  SITE_NOT_OF_PROVIDER: () => validateEvent({ ...EXAMPLE_EVENTS.ADMISSION, siteOds: 'RJ101' }),
};

describe('contract errors', () => {
  it('CONTRACT_ERROR_CODES should list every code with a description', () => {
    expect(CONTRACT_ERROR_CODES).toEqual(Object.keys(CONTRACT_ERRORS));
    expect(Object.keys(PROVOKE).sort()).toEqual([...CONTRACT_ERROR_CODES].sort());
  });

  it.each(CONTRACT_ERROR_CODES)('%s should be thrown for its specific bad input', (code) => {
    let caught: unknown;
    try {
      PROVOKE[code]();
    } catch (err) {
      caught = err;
    }
    expect(isContractError(caught)).toBe(true);
    const err = caught as ContractError;
    expect(err.code).toBe(code);
    expect(err.name).toBe('ContractError');
    expect(err.message.startsWith(code)).toBe(true);
    expect(err.detail.length).toBeGreaterThan(0);
  });

  it('ContractError should keep the underlying avsc error as cause', () => {
    try {
      codec.decode(Buffer.concat([good.subarray(0, 47), Buffer.from([0x7e])]));
    } catch (err) {
      expect((err as ContractError).code).toBe('CORRUPT_BODY');
      expect((err as ContractError).cause).toBeInstanceOf(Error);
      return;
    }
    throw new Error('expected decode to throw');
  });
});
