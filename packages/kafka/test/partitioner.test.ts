import { describe, expect, it } from 'vitest';
import { keyPartitioner } from '../src/index.js';

// Kafka's own murmur2 test vectors (clients UtilsTest.testMurmur2): key -> murmur2 as a Java int.
const JAVA_MURMUR2: Record<string, number> = {
  '21': -973932308,
  foobar: -790332482,
  'a-little-bit-long-string': -985981536,
  'a-little-bit-longer-string': -1486304829,
  lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8: -58897971,
  abc: 479470107,
};

describe('keyPartitioner', () => {
  it("keyPartitioner should place keys as Kafka's Java client does (toPositive(murmur2) mod partitions)", () => {
    for (const partitions of [1, 3, 12, 1000]) {
      const partitionOf = keyPartitioner(partitions);
      for (const [key, hash] of Object.entries(JAVA_MURMUR2)) {
        const java = (hash & 0x7fffffff) % partitions;
        expect(partitionOf(key), `${key} of ${partitions}`).toBe(java);
        expect(partitionOf(Buffer.from(key))).toBe(java);
      }
    }
  });

  it('keyPartitioner should not mistake a string for the bytes that spell it in Latin-1', () => {
    const partitionOf = keyPartitioner(1000);
    const fresh = () => keyPartitioner(1000);
    // "é" in UTF-8 is C3 A9, which Latin-1 reads as "Ã©": different keys, different hashes.
    const bytes = Buffer.from('é', 'utf8');
    const text = bytes.toString('latin1');
    expect(partitionOf(bytes)).toBe(fresh()(bytes));
    expect(partitionOf(text)).toBe(fresh()(text));
    expect(fresh()(bytes)).not.toBe(fresh()(text));
  });

  it('keyPartitioner should refuse a topic without partitions', () => {
    expect(() => keyPartitioner(0)).toThrow(/at least one partition/);
  });
});
