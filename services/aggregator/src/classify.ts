// Decides what one Kafka record is: an event to count, or a rejection for the DLQ with a code
// and a readable detail. Pure (the clock is an argument), so every rule is unit-testable without
// a broker. The codes are @pulse/kpi's REJECTION_CODES (the contract's, then the aggregator's;
// docs/aggregation.md), the list the oracle predicts from, and never renamed.
import { isContractError } from '@pulse/contracts';
import type { ActivityEvent, Codec } from '@pulse/contracts';
import { AGGREGATOR_REJECTIONS, attribute, DAY_MS, REJECTION_CODES } from '@pulse/kpi';
import type { Attribution, RejectionCode } from '@pulse/kpi';
import type { ProviderResolution, RefData } from '@pulse/refdata';

export { AGGREGATOR_REJECTIONS };
/** Every code a record can be dead-lettered with, in a stable order. */
export const DLQ_CODES = REJECTION_CODES;
export type DlqCode = RejectionCode;

/** What the rules need besides the record. */
export interface ClassifyContext {
  codec: Pick<Codec, 'decode'>;
  refdata: Pick<RefData, 'resolveProvider'>;
  /** Wall-clock time plus CLOCK_OFFSET_MS, epoch ms. */
  clock: number;
  /** Events may be this late (ms) and still count. */
  graceMs: number;
  /** Events may be dated this far (ms) after the clock. */
  maxFutureMs: number;
}

/** The parts of a Kafka record the rules read. */
export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
}

export type Classification =
  | { kind: 'accepted'; event: ActivityEvent; attribution: Attribution }
  | {
      kind: 'rejected';
      code: DlqCode;
      detail: string;
      /** Who the rejection is counted against: the Kafka key, or '-' without one. */
      providerOds: string;
    };

/** Placeholder provider for records with no Kafka key. */
export const NO_KEY = '-';

const iso = (ms: number) => new Date(ms).toISOString();

function reject(code: DlqCode, detail: string, providerOds: string): Classification {
  return { kind: 'rejected', code, detail, providerOds };
}

/** Classifies one record. Never throws: anything the codec cannot read becomes a rejection. */
export function classify(record: RecordInput, ctx: ClassifyContext): Classification {
  const key = record.key === null ? NO_KEY : record.key.toString('utf8');
  let event: ActivityEvent;
  try {
    if (record.value === null) return reject('BAD_MARKER', 'the record has no value', key);
    event = ctx.codec.decode(record.value);
  } catch (err) {
    if (isContractError(err)) return reject(err.code, err.detail, key);
    return reject('CORRUPT_BODY', `cannot decode: ${(err as Error)?.message ?? String(err)}`, key);
  }

  if (key !== event.providerOds) {
    const what = record.key === null ? 'no key' : `key ${key}`;
    return reject('KEY_MISMATCH', `${what} but providerOds ${event.providerOds}`, key);
  }
  const earliest = ctx.clock - ctx.graceMs;
  if (event.occurredAt < earliest) {
    return reject(
      'TOO_LATE',
      `occurredAt ${iso(event.occurredAt)} is before ${iso(earliest)} (clock minus ${ctx.graceMs / DAY_MS} days)`,
      key,
    );
  }
  const latest = ctx.clock + ctx.maxFutureMs;
  if (event.occurredAt > latest) {
    return reject(
      'FUTURE_DATED',
      `occurredAt ${iso(event.occurredAt)} is after ${iso(latest)} (clock plus ${ctx.maxFutureMs / 60_000} minutes)`,
      key,
    );
  }
  // Attribution through @pulse/kpi (the oracle uses the same function); the resolver keeps the
  // refdata answer so a rejection can say why.
  let failed: { resolution: ProviderResolution; date: string } | undefined;
  const attribution = attribute(event, (ods, date) => {
    const resolution = ctx.refdata.resolveProvider(ods, date);
    if (resolution.status === 'ok')
      return { icb: resolution.icb.code, region: resolution.region.code };
    failed = { resolution, date };
    return undefined;
  });
  if (attribution) return { kind: 'accepted', event, attribution };
  return reject('UNKNOWN_ORGANISATION', unknownDetail(event.providerOds, failed), key);
}

function unknownDetail(
  ods: string,
  failed: { resolution: ProviderResolution; date: string } | undefined,
): string {
  const r = failed?.resolution;
  const date = failed?.date ?? '?';
  switch (r?.status) {
    case 'not-open':
      return `${ods} opens on ${r.opens}, after the event's London date ${date}`;
    case 'closed':
      return `${ods} closed after ${r.closed}, before the event's London date ${date}`;
    case 'before-coverage':
      return `${ods} has no ICB on ${date} (ICBs start ${r.coverageFrom})`;
    default:
      return `${ods} is not an NHS trust`;
  }
}
