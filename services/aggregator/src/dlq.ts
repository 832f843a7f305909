// The dead-letter record of docs/aggregation.md: the original key and bytes, untouched, with the
// reason and the source position in headers; a record too large to dead-letter whole goes as a
// reference to its source position with the digest of what it leaves out. Pure; sending is the
// batch processor's job.
import { createHash } from 'node:crypto';
import { DLQ_HEADERS } from '@pulse/topology';
import type { DlqCode } from './classify.js';

/** Header values are kept short; a detail is a sentence, not a dump. */
const MAX_DETAIL_LENGTH = 1_000;

/**
 * Bytes of dead letters per produce request. kafkajs puts one partition's messages of a send in
 * one record batch, and the broker refuses a batch over `message.max.bytes` (1 MiB by default)
 * with MESSAGE_TOO_LARGE, which is not retriable: a burst of rejects (a trust replaying a
 * backlog older than the grace period) would fail the batch for ever. Half the broker default
 * leaves room for the batch's own overhead.
 */
export const MAX_DEAD_LETTER_BYTES = 512 * 1024;
/** Per-record overhead of the record format beyond key, value and header bytes (generous). */
const RECORD_OVERHEAD = 64;
/**
 * A reference letter keeps the original key up to this length (a provider ODS code is 3-5
 * characters); a longer key is left out like the value, with its length and digest.
 */
export const MAX_REFERENCE_KEY_BYTES = 256;

export interface DeadLetter {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

/**
 * The dead letter of a rejected record. Whole (original key and bytes) when it fits in one send of
 * MAX_DEAD_LETTER_BYTES; otherwise a reference: no value, the key only if it is short, and the
 * length and SHA-256 of what was left out, so the original can be read from its source topic,
 * partition and offset (while Kafka retains it) and checked. The broker accepts a record whose
 * compressed batch fits `message.max.bytes`, but the dead letter is sent uncompressed with headers
 * added: a 1 MB value, or a 10 MB one sent gzip-compressed, would be refused as
 * MESSAGE_TOO_LARGE (not retriable), and the partition would stop on it for good.
 */
export function deadLetter(
  source: DeadLetterSource,
  code: DlqCode,
  detail: string,
  maxBytes = MAX_DEAD_LETTER_BYTES,
): DeadLetter {
  const whole = wholeLetter(source, code, detail);
  return deadLetterBytes(whole) <= maxBytes ? whole : referenceLetter(whole);
}

function referenceLetter(whole: DeadLetter): DeadLetter {
  const headers = { ...whole.headers, ...omitted('value', whole.value) };
  const keepKey = whole.key === null || whole.key.length <= MAX_REFERENCE_KEY_BYTES;
  if (!keepKey) Object.assign(headers, omitted('key', whole.key));
  return { key: keepKey ? whole.key : null, value: null, headers };
}

/** The length and digest headers of a left-out key or value. */
function omitted(part: 'key' | 'value', bytes: Buffer | null): Record<string, string> {
  const data = bytes ?? Buffer.alloc(0);
  const sha256 = createHash('sha256').update(data).digest('hex');
  return part === 'value'
    ? { [DLQ_HEADERS.valueBytes]: String(data.length), [DLQ_HEADERS.valueSha256]: sha256 }
    : { [DLQ_HEADERS.keyBytes]: String(data.length), [DLQ_HEADERS.keySha256]: sha256 };
}

function wholeLetter(source: DeadLetterSource, code: DlqCode, detail: string): DeadLetter {
  return {
    key: source.key,
    value: source.value,
    headers: {
      [DLQ_HEADERS.code]: code,
      [DLQ_HEADERS.detail]:
        detail.length > MAX_DETAIL_LENGTH ? `${detail.slice(0, MAX_DETAIL_LENGTH - 1)}…` : detail,
      [DLQ_HEADERS.topic]: source.topic,
      [DLQ_HEADERS.partition]: String(source.partition),
      [DLQ_HEADERS.offset]: source.offset,
    },
  };
}

/** Rough size of a dead letter on the wire, before compression. */
export function deadLetterBytes(letter: DeadLetter): number {
  let bytes = RECORD_OVERHEAD + (letter.key?.length ?? 0) + (letter.value?.length ?? 0);
  for (const [name, value] of Object.entries(letter.headers)) bytes += name.length + value.length;
  return bytes;
}

/** Dead letters cut into sends of at most `maxBytes` each (a larger letter goes alone), in order. */
export function chunkDeadLetters(
  letters: readonly DeadLetter[],
  maxBytes = MAX_DEAD_LETTER_BYTES,
): DeadLetter[][] {
  const chunks: DeadLetter[][] = [];
  let chunk: DeadLetter[] = [];
  let bytes = 0;
  for (const letter of letters) {
    const size = deadLetterBytes(letter);
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(letter);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
