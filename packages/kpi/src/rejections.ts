// Every code a record can be rejected (dead-lettered) with, in one list: the contract's codec and
// field codes, then the aggregator's own. The aggregator emits them and the oracle predicts them
// from this list. They become DLQ header values and data-quality fields, so a code is never
// renamed or reused; add new ones at the end.
import { CONTRACT_ERROR_CODES } from '@pulse/contracts';
import type { ContractErrorCode } from '@pulse/contracts';

/** The aggregator's own reasons, after the contract's, with what they mean. */
export const AGGREGATOR_REJECTIONS = {
  KEY_MISMATCH: "The Kafka key is not the event's providerOds (a trust publishes only its own).",
  TOO_LATE: 'occurredAt is earlier than the clock minus the grace period.',
  FUTURE_DATED: 'occurredAt is later than the clock plus the allowed future skew.',
  UNKNOWN_ORGANISATION: "The provider is unknown, or not open on the event's London date.",
  EMITTED_IN_FUTURE: 'emittedAt is later than the clock plus the allowed future skew.',
  WRONG_PARTITION:
    "The record is not on its key's partition (Java's murmur2 partitioner): its resends could land elsewhere and count twice.",
} as const;

export type RejectionCode = ContractErrorCode | keyof typeof AGGREGATOR_REJECTIONS;

/** Every rejection code, in a stable order: the contract's, then the aggregator's. */
export const REJECTION_CODES: readonly RejectionCode[] = [
  ...CONTRACT_ERROR_CODES,
  ...(Object.keys(AGGREGATOR_REJECTIONS) as (keyof typeof AGGREGATOR_REJECTIONS)[]),
];

/**
 * The one data-quality bucket for rejections whose Kafka key is missing or is not a provider the
 * reference data knows: such a key is never made into a Redis key, so junk keys cannot grow Redis
 * (one `dq:` hash per known provider, plus this one).
 */
export const UNUSABLE_KEY = '-';

/** Who a rejection is counted against: the key when it names a known provider, else UNUSABLE_KEY. */
export function dataQualityKey(
  key: string | null | undefined,
  isKnownProvider: (ods: string) => boolean,
): string {
  return key !== null && key !== undefined && isKnownProvider(key) ? key : UNUSABLE_KEY;
}
