import { createCodec } from '@pulse/contracts';
import { loadRefData } from '@pulse/refdata';
import { describe, expect, it } from 'vitest';
import { classify, DLQ_CODES } from '../src/classify.js';
import type { ClassifyContext, Classification } from '../src/classify.js';
import { edArrival } from './helpers/events.js';
import { DAY_MS as DAY } from '@pulse/kpi';

const codec = createCodec();
const unchecked = createCodec({ validate: false });
const refdata = loadRefData();
const MINUTE = 60_000;
// Noon BST on 15 May 2026.
const clock = Date.UTC(2026, 4, 15, 11, 0, 0);
const ctx: ClassifyContext = { codec, refdata, clock, graceMs: 14 * DAY, maxFutureMs: 5 * MINUTE };

const record = (key: string | null, value: Buffer | null) => ({
  key: key === null ? null : Buffer.from(key),
  value,
});
const run = (key: string | null, value: Buffer | null, context = ctx) =>
  classify(record(key, value), context);
const at = (occurredAt: number, ods = 'RGT') => run(ods, codec.encode(edArrival(ods, occurredAt)));

function rejection(result: Classification) {
  if (result.kind !== 'rejected') throw new Error(`expected a rejection, got ${result.kind}`);
  return result;
}

describe('classify', () => {
  it('classify should accept a valid event attributed to its trust, ICB and region that day', () => {
    const result = at(clock - DAY);
    expect(result.kind).toBe('accepted');
    if (result.kind !== 'accepted') return;
    expect(result.attribution.trust).toBe('RGT');
    const r = refdata.resolveProvider('RGT', '2026-05-14');
    expect(r.status).toBe('ok');
    if (r.status === 'ok') {
      expect(result.attribution).toEqual({ trust: 'RGT', icb: r.icb.code, region: r.region.code });
    }
  });

  it('classify should reject bytes without the single-object marker as BAD_MARKER', () => {
    const result = rejection(run('RGT', Buffer.from('{"eventId":"x"}')));
    expect(result).toMatchObject({ code: 'BAD_MARKER', providerOds: 'RGT' });
    expect(rejection(run('RGT', null)).code).toBe('BAD_MARKER');
  });

  it('classify should reject an unpublished writer fingerprint as UNKNOWN_FINGERPRINT', () => {
    const bytes = codec.encode(edArrival('RGT', clock));
    bytes.writeUInt32LE(0xdeadbeef, 2);
    expect(rejection(run('RGT', bytes)).code).toBe('UNKNOWN_FINGERPRINT');
  });

  it('classify should reject truncated or padded bodies as CORRUPT_BODY', () => {
    const bytes = codec.encode(edArrival('RGT', clock));
    expect(rejection(run('RGT', bytes.subarray(0, bytes.length - 3))).code).toBe('CORRUPT_BODY');
    expect(rejection(run('RGT', Buffer.concat([bytes, Buffer.from([0])]))).code).toBe(
      'CORRUPT_BODY',
    );
  });

  it('classify should reject a field outside its rules as INVALID_FIELD', () => {
    const bad = edArrival('RGT', clock, { eventId: 'not-a-uuid' });
    expect(rejection(run('RGT', unchecked.encode(bad))).code).toBe('INVALID_FIELD');
  });

  it('classify should reject out-of-order instants and identifiers in subjectRef with their contract codes', () => {
    const early = edArrival('RGT', clock, { emittedAt: clock - 60 * MINUTE });
    expect(rejection(run('RGT', unchecked.encode(early))).code).toBe('INVALID_TIME_ORDER');
    const identified = edArrival('RGT', clock, { subjectRef: 'SW1A 1AA' });
    const result = rejection(run('RGT', unchecked.encode(identified)));
    expect(result.code).toBe('IDENTIFIER_IN_SUBJECT_REF');
    expect(result.detail).not.toContain('SW1A');
  });

  it('classify should reject an event keyed by another provider as KEY_MISMATCH', () => {
    const bytes = codec.encode(edArrival('RGT', clock));
    const result = rejection(run('RRK', bytes));
    expect(result).toMatchObject({ code: 'KEY_MISMATCH', providerOds: 'RRK' });
    expect(result.detail).toContain('RGT');
    expect(rejection(run(null, bytes))).toMatchObject({ code: 'KEY_MISMATCH', providerOds: '-' });
  });

  it('classify should accept an event exactly the grace period old and reject one a millisecond older as TOO_LATE', () => {
    expect(at(clock - 14 * DAY).kind).toBe('accepted');
    const result = rejection(at(clock - 14 * DAY - 1));
    expect(result.code).toBe('TOO_LATE');
    expect(result.detail).toContain('14 days');
  });

  it('classify should accept an event exactly 5 minutes ahead and reject one a millisecond later as FUTURE_DATED', () => {
    expect(at(clock + 5 * MINUTE).kind).toBe('accepted');
    expect(rejection(at(clock + 5 * MINUTE + 1)).code).toBe('FUTURE_DATED');
  });

  it('classify should take the clock from its context, so a past period can be replayed', () => {
    const past = Date.UTC(2026, 2, 29, 12);
    expect(rejection(at(past)).code).toBe('TOO_LATE');
    const replay = { ...ctx, clock: past + DAY };
    expect(run('RGT', codec.encode(edArrival('RGT', past)), replay).kind).toBe('accepted');
  });

  it('classify should reject unknown, not yet open and closed providers as UNKNOWN_ORGANISATION', () => {
    expect(rejection(at(clock, 'ZZZ')).detail).toContain('not an NHS trust');
    // K0N6A opens on 1 June 2026.
    expect(rejection(at(clock, 'K0N6A')).detail).toContain('opens on 2026-06-01');
    // RNK's last open day was 31 March 2026.
    const april = { ...ctx, clock: Date.UTC(2026, 3, 2, 12) };
    const closed = rejection(run('RNK', codec.encode(edArrival('RNK', april.clock)), april));
    expect(closed.code).toBe('UNKNOWN_ORGANISATION');
    expect(closed.detail).toContain('closed');
  });

  it('classify should attribute an event on its London date across the April 2026 ICB mergers', () => {
    // 23:30 UTC on 31 March is 00:30 BST on 1 April: the new ICB.
    const before = Date.UTC(2026, 2, 31, 22, 30);
    const after = Date.UTC(2026, 2, 31, 23, 30);
    const replay = { ...ctx, clock: after + MINUTE };
    const icbOf = (occurredAt: number) => {
      const result = run('G6V2S', codec.encode(edArrival('G6V2S', occurredAt)), replay);
      return result.kind === 'accepted' ? result.attribution.icb : result.code;
    };
    expect(icbOf(before)).toBe('QMJ');
    expect(icbOf(after)).toBe('Z9B2Z');
  });

  it('DLQ_CODES should hold every contract code, then the aggregator codes', () => {
    expect(DLQ_CODES).toEqual([
      'BAD_MARKER',
      'UNKNOWN_FINGERPRINT',
      'CORRUPT_BODY',
      'INVALID_FIELD',
      'INVALID_TIME_ORDER',
      'IDENTIFIER_IN_SUBJECT_REF',
      'KEY_MISMATCH',
      'TOO_LATE',
      'FUTURE_DATED',
      'UNKNOWN_ORGANISATION',
    ]);
  });
});
