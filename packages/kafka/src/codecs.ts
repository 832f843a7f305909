// The compression codecs Kafka producers use, registered with kafkajs, which itself reads only
// gzip: a batch compressed with snappy, lz4 or zstd (librdkafka's and Java's usual settings) would
// otherwise fail the whole fetch with KafkaJSNotImplemented, and the consumer would crash on it
// for ever. Our own producers still send uncompressed or gzip; these are for reading.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
// kafkajs is CommonJS whose index Node cannot list these two from: the default import.
import kafkajs from 'kafkajs';
import createSnappyCodec from 'kafkajs-snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';

const { CompressionCodecs, CompressionTypes } = kafkajs;

/** kafkajs's codec shape: compress gets an encoder holding the bytes, decompress the bytes. */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

// node:zlib's zstd (libzstd), in every Node release the project runs on (24; .node-version).
const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);

/**
 * Kafka's lz4 is the LZ4 frame format (magic 0x184D2204), as Java's KafkaLZ4BlockOutputStream
 * and librdkafka write it for record batches (message format v2): lz4-napi's frame functions.
 */
const lz4: Codec = {
  compress: async (encoder) => compressFrame(encoder.buffer),
  decompress: async (buffer) => decompressFrame(buffer),
};

/** Kafka's zstd is plain zstd frames: Node's own libzstd binding (node:zlib). */
const zstd: Codec = {
  compress: async (encoder) => zstdCompress(encoder.buffer),
  decompress: async (buffer) => zstdDecompress(buffer),
};

/**
 * Snappy as kafkajs's own codec package reads it: raw snappy (librdkafka) or the xerial framing
 * Java writes (snappyjs, pure JavaScript).
 */
const snappy: Codec = createSnappyCodec();

/** The codecs registered by registerCodecs, by kafkajs compression type. */
export const EXTRA_CODECS = {
  [CompressionTypes.Snappy]: snappy,
  [CompressionTypes.LZ4]: lz4,
  [CompressionTypes.ZSTD]: zstd,
} as const;

/**
 * Registers snappy, lz4 and zstd with kafkajs (a process-wide table). Idempotent; createKafka
 * calls it, so every client of the process reads every codec Kafka defines.
 */
export function registerCodecs(): void {
  CompressionCodecs[CompressionTypes.Snappy] = () => snappy;
  CompressionCodecs[CompressionTypes.LZ4] = () => lz4;
  CompressionCodecs[CompressionTypes.ZSTD] = () => zstd;
}
