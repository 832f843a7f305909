// Decides what one Kafka record is: an event to count, or a rejection for the DLQ with a code
// and a readable detail. Pure, and a function of the record alone: lateness is judged against the
// record's Kafka timestamp (the broker's time of receipt), never the processor's clock, so the
// same record gets the same verdict however late and however often it is processed. The codes are @pulse/kpi's REJECTION_CODES (the contract's, then the aggregator's;
// docs/aggregation.md), the list the oracle predicts from, and never renamed.
import { isContractError, shapeOf } from '@pulse/contracts';
import type { ActivityEvent, Codec } from '@pulse/contracts';
import {
  AGGREGATOR_REJECTIONS,
  attribute,
  DAY_MS,
  dataQualityKey,
  MINUTE_MS,
  REJECTION_CODES,
  UNUSABLE_KEY,
} from '@pulse/kpi';
import type { Attribution, RejectionCode, Resolver } from '@pulse/kpi';
import type { ProviderResolution, RefData } from '@pulse/refdata';

export { AGGREGATOR_REJECTIONS, UNUSABLE_KEY };
/** Every code a record can be dead-lettered with, in a stable order. */
export const DLQ_CODES = REJECTION_CODES;
export type DlqCode = RejectionCode;

/** What the rules need besides the record. */
export interface ClassifyContext {
  codec: Pick<Codec, 'decode'>;
  refdata: Pick<RefData, 'resolveProvider' | 'trust'>;
  /** Events may be this late (ms) before their record's timestamp and still count. */
  graceMs: number;
  /**
   * Events may be dated (occurredAt) and emitted (emittedAt) this far (ms) after their record's
   * timestamp.
   */
  maxFutureMs: number;
  /**
   * The partition the records come from and the partition each key belongs on (@pulse/kafka's
   * keyPartitioner); absent, placement is not checked.
   */
  placement?: { partition: number; partitionOf(key: Buffer): number };
}

/** The parts of a Kafka record the rules read. */
export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  /**
   * The record's Kafka timestamp (epoch ms): with the topic's `message.timestamp.type` set to
   * `LogAppendTime` (production), when the broker appended it, which no producer can set.
   */
  timestamp: number;
}

export type Classification =
  | { kind: 'accepted'; event: ActivityEvent; attribution: Attribution }
  | {
      kind: 'rejected';
      code: DlqCode;
      detail: string;
      /**
       * Who the rejection is counted against: the Kafka key when it names a provider the
       * reference data knows, else UNUSABLE_KEY (no key, or junk): never a key of its own.
       */
      providerOds: string;
    };

/**
 * Classifies one record. Never throws: anything the codec cannot read becomes a rejection.
 * Details name the rule broken and never quote the record's values or its key (they go into the
 * DLQ header and logs, and may be patient identifiers sent by mistake).
 */
export function classify(record: RecordInput, ctx: ClassifyContext): Classification {
  const key = record.key === null ? null : record.key.toString('utf8');
  const reject = (code: DlqCode, detail: string): Classification => ({
    kind: 'rejected',
    code,
    detail,
    providerOds: dataQualityKey(key, (ods) => ctx.refdata.trust(ods) !== undefined),
  });
  // First: a keyed record off its key's partition escapes that partition's seen ids whatever it
  // holds. (A record with no key is KEY_MISMATCH below.)
  if (record.key !== null && ctx.placement) {
    const { partition, partitionOf } = ctx.placement;
    const expected = partitionOf(record.key);
    if (expected !== partition) {
      return reject(
        'WRONG_PARTITION',
        `read from partition ${partition}, but its key belongs on partition ${expected} (murmur2, Java's default partitioner)`,
      );
    }
  }
  let event: ActivityEvent;
  try {
    if (record.value === null) return reject('BAD_MARKER', 'the record has no value');
    event = ctx.codec.decode(record.value);
  } catch (err) {
    if (isContractError(err)) return reject(err.code, err.detail);
    const name = err instanceof Error ? err.name : typeof err;
    return reject('CORRUPT_BODY', `cannot decode ${shapeOf(record.value)}: ${name}`);
  }

  if (key !== event.providerOds) {
    const detail =
      key === null
        ? "the record has no key; it must be the event's providerOds"
        : `the key, ${shapeOf(key)}, is not the event's providerOds`;
    return reject('KEY_MISMATCH', detail);
  }
  const minutes = ctx.maxFutureMs / MINUTE_MS;
  const receivedAt = record.timestamp;
  if (event.occurredAt < receivedAt - ctx.graceMs) {
    const days = ctx.graceMs / DAY_MS;
    return reject(
      'TOO_LATE',
      `occurredAt is before the record's timestamp minus the grace period (${days} days)`,
    );
  }
  if (event.occurredAt > receivedAt + ctx.maxFutureMs) {
    return reject(
      'FUTURE_DATED',
      `occurredAt is after the record's timestamp plus ${minutes} minutes`,
    );
  }
  if (event.emittedAt > receivedAt + ctx.maxFutureMs) {
    return reject(
      'EMITTED_IN_FUTURE',
      `emittedAt is after the record's timestamp plus ${minutes} minutes`,
    );
  }
  // Attribution through @pulse/kpi (the oracle uses the same function); the resolver keeps the
  // refdata answer so a rejection can say why.
  let failed: ProviderResolution | undefined;
  const attribution = attribute(
    event,
    resolverOf(ctx.refdata, (resolution) => (failed = resolution)),
  );
  if (attribution) return { kind: 'accepted', event, attribution };
  return reject('UNKNOWN_ORGANISATION', unknownDetail(event.providerOds, failed));
}

/**
 * A provider's ICB and region on a London date from the reference data (@pulse/kpi's Resolver);
 * `onFailed` hears why when it has none.
 */
export function resolverOf(
  refdata: Pick<RefData, 'resolveProvider'>,
  onFailed?: (resolution: ProviderResolution) => void,
): Resolver {
  return (ods, date) => {
    const resolution = refdata.resolveProvider(ods, date);
    if (resolution.status === 'ok')
      return { icb: resolution.icb.code, region: resolution.region.code };
    onFailed?.(resolution);
    return undefined;
  };
}

/** Why a provider does not count: reference-data facts about a known trust, else nothing of it. */
function unknownDetail(ods: string, r: ProviderResolution | undefined): string {
  switch (r?.status) {
    case 'not-open':
      return `${ods} opens on ${r.opens}, after the event's London date`;
    case 'closed':
      return `${ods} closed after ${r.closed}, before the event's London date`;
    case 'before-coverage':
      return `${ods} has no ICB on the event's London date (ICBs start ${r.coverageFrom})`;
    default:
      return 'providerOds is not an NHS trust in the reference data';
  }
}
