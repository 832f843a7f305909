import { createCodec, isContractError } from '@pulse/contracts';
import { describe, expect, it } from 'vitest';
import { injectFaults, type OutRecord } from '../src/faults/inject.js';
import { FAULT_KINDS, NO_FAULTS, parseFaults } from '../src/faults/kinds.js';
import { generateActivity } from '../src/generate/index.js';
import { testRefData, windowOf, FEW_TRUSTS } from './helpers.js';
import { DAY_MS as DAY } from '@pulse/refdata';

const codec = createCodec();
const unchecked = createCodec({ validate: false });
const IMPLAUSIBLE_CODES = [
  'ED_STAY_TOO_LONG',
  'HANDOVER_TOO_LONG',
  'SPELL_TOO_LONG',
  'RTT_WAIT_TOO_LONG',
  'TOO_MANY_BEDS',
  'SITE_NOT_OF_PROVIDER',
];
const IDENTIFIER_CODES = ['INVALID_FIELD', 'IDENTIFIER_IN_SUBJECT_REF'];
const GRACE = 14 * DAY;
const RATIOS = parseFaults(
  'duplicate=0.05,late=0.02,tooLate=0.01,future=0.01,corrupt=0.01,unknownFingerprint=0.01,unknownProvider=0.01,implausible=0.02,identifier=0.02,emittedFuture=0.01',
);

function records(seed = 'faults'): OutRecord[] {
  const options = windowOf('2026-11-23T08:00:00Z', '2026-11-23T14:00:00Z', {
    seed,
    ods: FEW_TRUSTS,
  });
  const refdata = testRefData();
  return [
    ...injectFaults(generateActivity(options), {
      seed,
      ratios: RATIOS,
      codec,
      isKnownProvider: (ods) => refdata.trust(ods) !== undefined,
    }),
  ];
}

/** What the contract codec says about some bytes: its error code, or 'ok'. */
function decodeOutcome(value: Buffer): string {
  try {
    codec.decode(value);
    return 'ok';
  } catch (err) {
    if (isContractError(err)) return err.code;
    throw err;
  }
}

describe('parseFaults', () => {
  it('should read every kind and default the rest to 0', () => {
    expect(parseFaults('duplicate=0.05, late=0.01')).toEqual({
      ...NO_FAULTS,
      duplicate: 0.05,
      late: 0.01,
    });
    expect(parseFaults('')).toEqual(NO_FAULTS);
  });

  it.each([
    ['dup=0.1', /unknown fault kind "dup"/],
    ['duplicate=1.5', /ratio of "duplicate" must be a number from 0 to 1, got "1.5"/],
    ['duplicate=-0.1', /from 0 to 1/],
    ['duplicate=abc', /from 0 to 1/],
    ['duplicate', /"duplicate" is not kind=ratio/],
    ['duplicate=0.6,late=0.6', /add up to 1.2/],
    ['late=0.1,late=0.2', /"late" given twice/],
  ])('should reject %s with a precise message', (spec, message) => {
    expect(() => parseFaults(spec)).toThrow(message);
  });
});

describe('injectFaults', () => {
  const all = records();
  const generated = all.filter((r) => r.fault === null || r.fault === 'late').length;

  it('should be deterministic for a seed', () => {
    const again = records();
    expect(again.map((r) => [r.key, r.value.toString('base64'), r.expect])).toEqual(
      all.map((r) => [r.key, r.value.toString('base64'), r.expect]),
    );
  });

  it('should inject each kind near its ratio', () => {
    expect(generated).toBeGreaterThan(3000);
    for (const kind of FAULT_KINDS) {
      const n = all.filter((r) => r.fault === kind).length;
      const expected = generated * RATIOS[kind];
      // Binomial: within 5 standard deviations.
      expect(Math.abs(n - expected)).toBeLessThan(5 * Math.sqrt(expected) + 1);
    }
  });

  it('should send records in non-decreasing clock order', () => {
    all.forEach((r, i) => {
      if (i > 0) expect(r.clock).toBeGreaterThanOrEqual(all[i - 1]!.clock);
    });
  });

  it('should give every record the expectation the aggregator must meet', () => {
    const seen = new Map<string, OutRecord>();
    for (const r of all) {
      const outcome = decodeOutcome(r.value);
      switch (r.fault) {
        case null:
        case 'late':
          expect(r.expect).toBe('accept');
          expect(outcome).toBe('ok');
          expect(r.event!.occurredAt).toBeGreaterThanOrEqual(r.clock - GRACE);
          expect(r.event!.occurredAt).toBeLessThanOrEqual(r.clock + 5 * 60_000);
          // Regression: emitted up to 10 minutes after being sent, so EMITTED_IN_FUTURE.
          expect(r.event!.emittedAt).toBeLessThanOrEqual(r.clock + 5 * 60_000);
          if (r.fault === 'late') expect(r.clock).toBeGreaterThan(r.event!.occurredAt);
          break;
        case 'duplicate': {
          expect(r.expect).toBe('duplicate');
          const first = seen.get(r.event!.eventId)!;
          expect(first.value.equals(r.value)).toBe(true);
          expect(r.clock).toBeGreaterThan(first.clock);
          break;
        }
        case 'tooLate':
          expect(r.expect).toBe('reject:TOO_LATE');
          expect(outcome).toBe('ok');
          expect(r.event!.occurredAt).toBeLessThan(r.clock - GRACE);
          break;
        case 'future':
          expect(r.expect).toBe('reject:FUTURE_DATED');
          expect(outcome).toBe('ok');
          expect(r.event!.occurredAt).toBeGreaterThan(r.clock + DAY);
          break;
        case 'unknownProvider':
          expect(r.expect).toBe('reject:UNKNOWN_ORGANISATION');
          expect(outcome).toBe('ok');
          expect(r.key).toBe(r.event!.providerOds);
          expect(r.key).toMatch(/^[A-Z0-9]{3}$/);
          expect(testRefData().trust(r.key)).toBeUndefined();
          break;
        case 'corrupt':
        case 'unknownFingerprint':
          expect(r.event).toBeNull();
          expect(r.expect).toBe(`reject:${outcome}`);
          expect(['BAD_MARKER', 'CORRUPT_BODY', 'UNKNOWN_FINGERPRINT']).toContain(outcome);
          break;
        case 'implausible':
        case 'identifier': {
          // Decodable without the rules, refused by them with exactly the expected code.
          expect(r.event).toBeNull();
          expect(r.expect).toBe(`reject:${outcome}`);
          expect(r.key).toBe(unchecked.decode(r.value).providerOds);
          const codes = r.fault === 'identifier' ? IDENTIFIER_CODES : IMPLAUSIBLE_CODES;
          expect(codes).toContain(outcome);
          break;
        }
        case 'emittedFuture':
          expect(r.expect).toBe('reject:EMITTED_IN_FUTURE');
          expect(outcome).toBe('ok');
          expect(r.event!.emittedAt).toBeGreaterThan(r.clock + 2 * DAY - 1);
          expect(r.event!.occurredAt).toBeLessThanOrEqual(r.clock);
          break;
      }
      if (r.event && !seen.has(r.event.eventId)) seen.set(r.event.eventId, r);
    }
  });

  it('should produce every plausibility and identifier code the contract has', () => {
    const produced = new Set(
      all.filter((r) => r.fault === 'implausible' || r.fault === 'identifier').map((r) => r.expect),
    );
    expect(produced).toEqual(
      new Set([...IMPLAUSIBLE_CODES, ...IDENTIFIER_CODES].map((code) => `reject:${code}`)),
    );
  });

  it('should give fresh event ids to bad copies', () => {
    const idOf = (r: OutRecord) =>
      r.event?.eventId ??
      (r.fault === 'implausible' || r.fault === 'identifier'
        ? unchecked.decode(r.value).eventId
        : undefined);
    const ids = all
      .filter((r) => r.fault !== 'duplicate')
      .map(idOf)
      .filter((id) => id !== undefined);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
