import { createCodec, EXAMPLE_EVENTS, type ActivityEvent } from '@pulse/contracts';
import { keyPartitioner } from '@pulse/kafka';
import { loadRefData } from '@pulse/refdata';
import { describe, expect, it } from 'vitest';
import { classify, DLQ_CODES, UNUSABLE_KEY } from '../src/classify.js';
import type { ClassifyContext, Classification } from '../src/classify.js';
import { edArrival } from './helpers/events.js';
import { DAY_MS as DAY } from '@pulse/kpi';

const codec = createCodec();
const unchecked = createCodec({ validate: false });
const refdata = loadRefData();
const MINUTE = 60_000;
// Noon BST on 15 May 2026: when the records were received (their Kafka timestamp).
const clock = Date.UTC(2026, 4, 15, 11, 0, 0);
const ctx: ClassifyContext = { codec, refdata, graceMs: 14 * DAY, maxFutureMs: 5 * MINUTE };

const record = (key: string | null, value: Buffer | null, timestamp = clock) => ({
  key: key === null ? null : Buffer.from(key),
  value,
  timestamp,
});
const run = (key: string | null, value: Buffer | null, context = ctx, timestamp = clock) =>
  classify(record(key, value, timestamp), context);
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
    expect(result.detail).toBe("the key, a string of 3 characters, is not the event's providerOds");
    expect(rejection(run(null, bytes))).toMatchObject({
      code: 'KEY_MISMATCH',
      providerOds: UNUSABLE_KEY,
      detail: "the record has no key; it must be the event's providerOds",
    });
  });

  it('classify should count a rejection under UNUSABLE_KEY unless its key is a known provider', () => {
    // Regression: every rejected record's key became its own Redis key, dq:9434765919.
    const bad = Buffer.from('{"nhsNumber":"9434765919"}');
    for (const key of ['9434765919', 'John Smith', 'ZZZ', 'rgt', '', 'R'.repeat(300)]) {
      expect(rejection(run(key, bad)).providerOds, key).toBe(UNUSABLE_KEY);
    }
    expect(rejection(run(null, bad)).providerOds).toBe(UNUSABLE_KEY);
    // Known on some date is enough: a closed trust's rejections are its own.
    expect(rejection(run('RNK', bad)).providerOds).toBe('RNK');
    expect(rejection(run('RGT', bad)).providerOds).toBe('RGT');
  });

  it('classify details should never quote a rejected value or the Kafka key', () => {
    // Regression: `got "9434765919"` and `key 9434765919 but providerOds RAJ` reached the DLQ.
    const leaks = (detail: string) => /9434765919|943476|John|Smith/.test(detail);
    const nhs = edArrival('RGT', clock, { subjectRef: 'NHS9434765919' });
    const id = edArrival('RGT', clock, {
      payload: { ...edArrival('RGT', clock).payload, attendanceId: 'John Smith 9434765919' },
    });
    const cases: [string | null, Buffer | null][] = [
      ['9434765919', codec.encode(edArrival('RGT', clock))],
      ['John Smith', codec.encode(edArrival('RGT', clock))],
      ['RGT', unchecked.encode(nhs)],
      ['RGT', unchecked.encode(id)],
      ['RGT', Buffer.from('{"subjectRef":"9434765919","name":"John Smith"}')],
      ['9434765919', Buffer.from('9434765919')],
      ['RGT', unchecked.encode({ ...edArrival('RGT', clock), eventId: '9434765919' })],
    ];
    for (const [key, value] of cases) {
      const result = rejection(run(key, value));
      expect(leaks(result.detail), `${result.code}: ${result.detail}`).toBe(false);
    }
  });

  it('classify should accept emittedAt exactly 5 minutes ahead and reject later as EMITTED_IN_FUTURE', () => {
    const emitted = (emittedAt: number) =>
      run('RGT', codec.encode(edArrival('RGT', clock, { emittedAt })));
    expect(emitted(clock + 5 * MINUTE).kind).toBe('accepted');
    const result = rejection(emitted(clock + 5 * MINUTE + 1));
    expect(result.code).toBe('EMITTED_IN_FUTURE');
    expect(result.detail).toBe("emittedAt is after the record's timestamp plus 5 minutes");
    // Regression: an event emitted in 2100 was counted.
    expect(rejection(emitted(Date.UTC(2100, 0, 1))).code).toBe('EMITTED_IN_FUTURE');
  });

  it('classify should reject implausible events with the contract codes', () => {
    const codeOf = (event: ActivityEvent) => rejection(run('RGT', unchecked.encode(event))).code;
    const departure = {
      ...EXAMPLE_EVENTS.ED_DEPARTURE,
      providerOds: 'RGT',
      siteOds: null,
      occurredAt: clock,
      emittedAt: clock,
    };
    expect(
      codeOf({
        ...departure,
        payload: { ...departure.payload, arrivedAt: 0, decisionToAdmitAt: null },
      }),
    ).toBe('ED_STAY_TOO_LONG');
    expect(codeOf({ ...edArrival('RGT', clock), siteOds: 'RJ101' })).toBe('SITE_NOT_OF_PROVIDER');
  });

  it('classify should accept an event exactly the grace period old and reject one a millisecond older as TOO_LATE', () => {
    expect(at(clock - 14 * DAY).kind).toBe('accepted');
    const result = rejection(at(clock - 14 * DAY - 1));
    expect(result.code).toBe('TOO_LATE');
    expect(result.detail).toBe(
      "occurredAt is before the record's timestamp minus the grace period (14 days)",
    );
  });

  it('classify should accept an event exactly 5 minutes ahead and reject one a millisecond later as FUTURE_DATED', () => {
    expect(at(clock + 5 * MINUTE).kind).toBe('accepted');
    expect(rejection(at(clock + 5 * MINUTE + 1)).code).toBe('FUTURE_DATED');
  });

  it('classify should judge lateness by the record timestamp alone, whenever it runs', () => {
    const past = Date.UTC(2026, 2, 29, 12);
    const bytes = codec.encode(edArrival('RGT', past));
    expect(rejection(run('RGT', bytes)).code).toBe('TOO_LATE');
    // Received a day after it happened: on time, today or in a rebuild years later.
    expect(run('RGT', bytes, ctx, past + DAY).kind).toBe('accepted');
    expect(rejection(run('RGT', bytes, ctx, past - 6 * MINUTE)).code).toBe('FUTURE_DATED');
  });

  it('classify should reject unknown, not yet open and closed providers as UNKNOWN_ORGANISATION', () => {
    const unknown = rejection(at(clock, 'ZZZ'));
    expect(unknown.detail).toBe('providerOds is not an NHS trust in the reference data');
    expect(unknown.providerOds).toBe(UNUSABLE_KEY);
    // K0N6A opens on 1 June 2026.
    expect(rejection(at(clock, 'K0N6A')).detail).toContain('opens on 2026-06-01');
    expect(rejection(at(clock, 'K0N6A')).providerOds).toBe('K0N6A');
    // RNK's last open day was 31 March 2026.
    const april = Date.UTC(2026, 3, 2, 12);
    const closed = rejection(run('RNK', codec.encode(edArrival('RNK', april)), ctx, april));
    expect(closed.code).toBe('UNKNOWN_ORGANISATION');
    expect(closed.detail).toContain('closed');
  });

  it('classify should attribute an event on its London date across the April 2026 ICB mergers', () => {
    // 23:30 UTC on 31 March is 00:30 BST on 1 April: the new ICB.
    const before = Date.UTC(2026, 2, 31, 22, 30);
    const after = Date.UTC(2026, 2, 31, 23, 30);
    const icbOf = (occurredAt: number) => {
      const bytes = codec.encode(edArrival('G6V2S', occurredAt));
      const result = run('G6V2S', bytes, ctx, after + MINUTE);
      return result.kind === 'accepted' ? result.attribution.icb : result.code;
    };
    expect(icbOf(before)).toBe('QMJ');
    expect(icbOf(after)).toBe('Z9B2Z');
  });

  it("classify should reject a keyed record read from another partition than its key's as WRONG_PARTITION", () => {
    const partitionOf = keyPartitioner(12);
    const home = partitionOf(Buffer.from('RGT'));
    const bytes = codec.encode(edArrival('RGT', clock));
    const placed = (partition: number) => ({ ...ctx, placement: { partition, partitionOf } });
    expect(run('RGT', bytes, placed(home)).kind).toBe('accepted');
    const result = rejection(run('RGT', bytes, placed((home + 5) % 12)));
    expect(result).toMatchObject({ code: 'WRONG_PARTITION', providerOds: 'RGT' });
    expect(result.detail).toContain(`partition ${home}`);
    // Checked before the bytes are read: undecodable bytes on the wrong partition are refused for it.
    expect(rejection(run('RGT', Buffer.from('x'), placed((home + 1) % 12))).code).toBe(
      'WRONG_PARTITION',
    );
    // A record with no key has no partition of its own: it is KEY_MISMATCH.
    expect(rejection(run(null, bytes, placed((home + 1) % 12))).code).toBe('KEY_MISMATCH');
  });

  it('DLQ_CODES should hold every contract code, then the aggregator codes', () => {
    expect(DLQ_CODES).toEqual([
      'BAD_MARKER',
      'UNKNOWN_FINGERPRINT',
      'CORRUPT_BODY',
      'INVALID_FIELD',
      'INVALID_TIME_ORDER',
      'IDENTIFIER_IN_SUBJECT_REF',
      'ED_STAY_TOO_LONG',
      'HANDOVER_TOO_LONG',
      'SPELL_TOO_LONG',
      'RTT_WAIT_TOO_LONG',
      'TOO_MANY_BEDS',
      'SITE_NOT_OF_PROVIDER',
      'KEY_MISMATCH',
      'TOO_LATE',
      'FUTURE_DATED',
      'UNKNOWN_ORGANISATION',
      'EMITTED_IN_FUTURE',
      'WRONG_PARTITION',
    ]);
  });
});
