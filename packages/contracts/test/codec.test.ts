import { describe, expect, it } from 'vitest';
import {
  ContractError,
  EVENT_TYPES,
  EXAMPLE_EVENTS,
  createCodec,
  loadSchemaCatalogue,
  type ActivityEvent,
} from '../src/index.js';

const codec = createCodec();

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof ContractError) return err.code;
    throw err;
  }
  return undefined;
}

describe('codec', () => {
  it.each(EVENT_TYPES)('codec should round-trip a %s event', (type) => {
    const event = EXAMPLE_EVENTS[type];
    const decoded = codec.decode(codec.encode(event));
    expect(decoded).toEqual(event);
    expect({ ...decoded, payload: { ...decoded.payload } }).toStrictEqual(event);
  });

  it('codec should frame bytes as C3 01, the little-endian fingerprint, then the body', () => {
    const bytes = codec.encode(EXAMPLE_EVENTS.ADMISSION);
    const current = loadSchemaCatalogue().current;
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xc3, 0x01]));
    expect(bytes.readBigUInt64LE(2).toString(16).padStart(16, '0')).toBe(current.fingerprint);
    expect(codec.writerFingerprint).toBe(current.fingerprint);
    expect(codec.writerVersion).toBe(current.version);
  });

  it('codec should decode a Uint8Array that is not a Buffer', () => {
    const bytes = new Uint8Array(codec.encode(EXAMPLE_EVENTS.DISCHARGE));
    expect(codec.decode(bytes)).toEqual(EXAMPLE_EVENTS.DISCHARGE);
  });

  it('codec should grow its buffer for an event larger than the initial buffer', () => {
    const small = createCodec({ initialBufferSize: 64 });
    const event = {
      ...EXAMPLE_EVENTS.ED_ARRIVAL,
      subjectRef: 'a'.repeat(64),
      payload: { ...EXAMPLE_EVENTS.ED_ARRIVAL.payload, attendanceId: 'x'.repeat(64) },
    };
    expect(small.decode(small.encode(event))).toEqual(event);
    expect(small.decode(small.encode(EXAMPLE_EVENTS.BED_STATE))).toEqual(EXAMPLE_EVENTS.BED_STATE);
  });

  it('codec should return independent buffers from successive encodes', () => {
    const first = codec.encode(EXAMPLE_EVENTS.ED_ARRIVAL);
    const copy = Buffer.from(first);
    codec.encode(EXAMPLE_EVENTS.RTT_CLOCK_STOP);
    expect(first).toEqual(copy);
  });
});

describe('codec errors', () => {
  const good = codec.encode(EXAMPLE_EVENTS.ED_DEPARTURE);

  it('decode should reject bytes without the C3 01 marker as BAD_MARKER', () => {
    expect(codeOf(() => codec.decode(Buffer.from('{"eventId":1}')))).toBe('BAD_MARKER');
    expect(codeOf(() => codec.decode(Buffer.alloc(0)))).toBe('BAD_MARKER');
    expect(codeOf(() => codec.decode(Buffer.from([0xc3, 0x02, ...good.subarray(2)])))).toBe(
      'BAD_MARKER',
    );
  });

  it('decode should reject an unpublished writer fingerprint as UNKNOWN_FINGERPRINT', () => {
    const bytes = Buffer.from(good);
    bytes.writeBigUInt64LE(0x0123456789abcdefn, 2);
    expect(() => codec.decode(bytes)).toThrow(/UNKNOWN_FINGERPRINT.*0123456789abcdef/);
  });

  it('decode should reject a truncated header, a truncated body and trailing bytes as CORRUPT_BODY', () => {
    expect(codeOf(() => codec.decode(good.subarray(0, 6)))).toBe('CORRUPT_BODY');
    expect(codeOf(() => codec.decode(good.subarray(0, good.length - 3)))).toBe('CORRUPT_BODY');
    expect(() => codec.decode(Buffer.concat([good, Buffer.from([0])]))).toThrow(/1 trailing bytes/);
  });

  it('decode should reject an out-of-range enum index as CORRUPT_BODY', () => {
    // eventId is a 36-character string: 1 length byte + 36 bytes after the 10-byte header.
    const bytes = Buffer.from(good);
    bytes[10 + 37] = 0x7e; // eventType enum index 63
    expect(codeOf(() => codec.decode(bytes))).toBe('CORRUPT_BODY');
  });

  it('decode should reject a payload record that does not match eventType as INVALID_FIELD', () => {
    const bytes = Buffer.from(codec.encode(EXAMPLE_EVENTS.RTT_CLOCK_START));
    bytes[10 + 37] = 8 * 2; // eventType RTT_CLOCK_STOP over an RttClockStart payload
    expect(() => codec.decode(bytes)).toThrow(/INVALID_FIELD at payload: is a .*RttClockStart/);
  });

  it('decode should reject bytes whose fields break the rules as INVALID_FIELD', () => {
    const loose = createCodec({ validate: false });
    const bad = { ...EXAMPLE_EVENTS.ADMISSION, providerOds: 'rgt' };
    const bytes = loose.encode(bad);
    expect(loose.decode(bytes)).toEqual(bad);
    expect(() => codec.decode(bytes)).toThrow(/INVALID_FIELD at providerOds/);
  });

  it('encode should reject an invalid event before it reaches the wire', () => {
    const bad = { ...EXAMPLE_EVENTS.ADMISSION, ageBand: 'AGE_200' } as unknown as ActivityEvent;
    expect(() => codec.encode(bad)).toThrow(/INVALID_FIELD at ageBand/);
    const loose = createCodec({ validate: false });
    expect(codeOf(() => loose.encode(bad))).toBe('INVALID_FIELD');
  });
});
