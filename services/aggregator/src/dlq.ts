// The dead-letter record of docs/aggregation.md: the original key and bytes, untouched, with the
// reason and the source position in headers. Pure; sending is the batch processor's job.
import type { DlqCode } from './classify.js';

/** Header names, part of the contract: tools and the data-quality feed read them. */
export const DLQ_HEADERS = {
  code: 'pulse-error-code',
  detail: 'pulse-error-detail',
  topic: 'pulse-source-topic',
  partition: 'pulse-source-partition',
  offset: 'pulse-source-offset',
} as const;

/** Header values are kept short; a detail is a sentence, not a dump. */
const MAX_DETAIL_LENGTH = 1_000;

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

export function deadLetter(source: DeadLetterSource, code: DlqCode, detail: string): DeadLetter {
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
