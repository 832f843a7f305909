import { gunzipSync } from 'node:zlib';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { EXTRA_CODECS, registerCodecs } from '../src/index.js';

// Bytes like a batch of events: repetitive, so every codec shrinks them.
const batch = Buffer.from(
  Array.from({ length: 500 }, (_, i) => `{"eventId":"${i}","providerOds":"RGT"}`).join(''),
);

describe('registerCodecs', () => {
  it('registerCodecs should give kafkajs snappy, lz4 and zstd, which it lacks', async () => {
    registerCodecs();
    const types = [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD] as const;
    for (const type of types) {
      const codec = CompressionCodecs[type]();
      const compressed: Buffer = await codec.compress({ buffer: batch });
      expect(compressed.length, `codec ${type}`).toBeLessThan(batch.length / 4);
      expect((await codec.decompress(compressed)).equals(batch), `codec ${type}`).toBe(true);
    }
    // gzip stays kafkajs's own.
    const gzip = await CompressionCodecs[CompressionTypes.GZIP]().compress({ buffer: batch });
    expect(gunzipSync(gzip).equals(batch)).toBe(true);
  });

  it('the lz4 codec should write and read the LZ4 frame format Kafka uses', async () => {
    const frame = await EXTRA_CODECS[CompressionTypes.LZ4].compress({ buffer: batch });
    // LZ4 frame magic number 0x184D2204, little-endian.
    expect(frame.readUInt32LE(0)).toBe(0x184d2204);
  });

  it('the snappy codec should read the xerial framing Java producers write', async () => {
    const { compress, decompress } = EXTRA_CODECS[CompressionTypes.Snappy];
    const block = await compress({ buffer: batch });
    // Header "\x82SNAPPY\0", version 1, compatible 1, then each block with its 4-byte length.
    const header = Buffer.from([
      0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1,
    ]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(block.length);
    const framed = Buffer.concat([header, length, block, length, block]);
    expect((await decompress(framed)).equals(Buffer.concat([batch, batch]))).toBe(true);
  });

  it('the zstd codec should read a zstd frame', async () => {
    const frame = await EXTRA_CODECS[CompressionTypes.ZSTD].compress({ buffer: batch });
    // zstd frame magic number 0xFD2FB528, little-endian.
    expect(frame.readUInt32LE(0)).toBe(0xfd2fb528);
    expect((await EXTRA_CODECS[CompressionTypes.ZSTD].decompress(frame)).equals(batch)).toBe(true);
  });
});
