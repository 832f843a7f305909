import { describe, expect, it } from 'vitest';
import { ACTIVITY_TOPIC, DLQ_HEADERS } from '@pulse/topology';
import { chunkDeadLetters, deadLetter, deadLetterBytes } from '../src/dlq.js';

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
