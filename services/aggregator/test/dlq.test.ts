import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_TOPIC, DLQ_HEADERS } from '@pulse/topology';
import {
  MAX_DEAD_LETTER_BYTES,
  MAX_REFERENCE_KEY_BYTES,
  chunkDeadLetters,
  deadLetter,
  deadLetterBytes,
} from '../src/dlq.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('deadLetter', () => {
  it('deadLetter should keep the original key and bytes and name the reason and source in headers', () => {
    const key = Buffer.from('RGT');
    const value = Buffer.from([0xc3, 0x01, 0xff]);
    const letter = deadLetter(
      { topic: ACTIVITY_TOPIC, partition: 7, offset: '12345', key, value },
      'CORRUPT_BODY',
      'truncated body',
    );
    expect(letter.key).toBe(key);
    expect(letter.value).toBe(value);
    expect(letter.headers).toEqual({
      [DLQ_HEADERS.code]: 'CORRUPT_BODY',
      [DLQ_HEADERS.detail]: 'truncated body',
      'pulse-source-topic': ACTIVITY_TOPIC,
      'pulse-source-partition': '7',
      'pulse-source-offset': '12345',
    });
  });

  it('deadLetter should shorten a very long detail', () => {
    const source = { topic: 't', partition: 0, offset: '0', key: null, value: null };
    const letter = deadLetter(source, 'INVALID_FIELD', 'x'.repeat(5_000));
    expect(letter.headers[DLQ_HEADERS.detail]!.length).toBeLessThanOrEqual(1_000);
  });
});

describe('deadLetter of a record too large to send whole', () => {
  const source = (key: Buffer | null, value: Buffer) => ({
    topic: ACTIVITY_TOPIC,
    partition: 3,
    offset: '42',
    key,
    value,
  });

  it('deadLetter should send a reference with the value length and digest instead of a 1 MB value', () => {
    const key = Buffer.from('RGT');
    const value = Buffer.alloc(1_000_000, 0x7b);
    const letter = deadLetter(source(key, value), 'BAD_MARKER', 'no marker');
    expect(letter.key).toBe(key);
    expect(letter.value).toBeNull();
    expect(letter.headers).toMatchObject({
      [DLQ_HEADERS.code]: 'BAD_MARKER',
      [DLQ_HEADERS.partition]: '3',
      [DLQ_HEADERS.offset]: '42',
      [DLQ_HEADERS.valueBytes]: '1000000',
      [DLQ_HEADERS.valueSha256]: sha256(value),
    });
    expect(letter.headers[DLQ_HEADERS.keyBytes]).toBeUndefined();
    expect(deadLetterBytes(letter)).toBeLessThanOrEqual(MAX_DEAD_LETTER_BYTES);
  });

  it('deadLetter should leave out a long key too, with its length and digest', () => {
    const key = Buffer.alloc(MAX_DEAD_LETTER_BYTES, 0x41);
    const letter = deadLetter(source(key, Buffer.from('x')), 'KEY_MISMATCH', 'long key');
    expect(letter.key).toBeNull();
    expect(letter.value).toBeNull();
    expect(letter.headers[DLQ_HEADERS.keyBytes]).toBe(String(key.length));
    expect(letter.headers[DLQ_HEADERS.keySha256]).toBe(sha256(key));
    expect(letter.headers[DLQ_HEADERS.valueSha256]).toBe(sha256(Buffer.from('x')));
    expect(deadLetterBytes(letter)).toBeLessThan(2_000);
  });

  it('deadLetter should keep a record whole up to the limit and a short key of a reference', () => {
    const key = Buffer.alloc(MAX_REFERENCE_KEY_BYTES, 0x41);
    const fits = deadLetter(source(key, Buffer.alloc(1_000)), 'BAD_MARKER', 'd', 2_000);
    expect(fits.value?.length).toBe(1_000);
    expect(fits.headers[DLQ_HEADERS.valueBytes]).toBeUndefined();
    const over = deadLetter(source(key, Buffer.alloc(2_000)), 'BAD_MARKER', 'd', 2_000);
    expect(over.key).toBe(key);
    expect(over.value).toBeNull();
  });
});

describe('chunkDeadLetters', () => {
  const letter = (bytes: number) => ({
    key: Buffer.from('RGT'),
    value: Buffer.alloc(bytes),
    headers: { 'pulse-error-code': 'BAD_MARKER' },
  });

  it('chunkDeadLetters should keep every send within the byte limit, in order', () => {
    const letters = Array.from({ length: 5_000 }, (_, i) => letter(900 + (i % 7)));
    const chunks = chunkDeadLetters(letters, 64 * 1024);
    expect(chunks.flat()).toEqual(letters);
    for (const chunk of chunks) {
      expect(chunk.reduce((sum, l) => sum + deadLetterBytes(l), 0)).toBeLessThanOrEqual(64 * 1024);
    }
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('chunkDeadLetters should send a letter larger than the limit on its own', () => {
    const chunks = chunkDeadLetters([letter(10), letter(100_000), letter(10)], 1_000);
    expect(chunks.map((c) => c.length)).toEqual([1, 1, 1]);
  });

  it('chunkDeadLetters should give no sends for no letters', () => {
    expect(chunkDeadLetters([])).toEqual([]);
  });
});
