// One partition batch, end to end: classify, dead-letter, probe, plan, apply (re-probing when
// fenced), resolve. It knows nothing of kafkajs: the consumer hands it plain records and a small
// control surface, so the exactly-once protocol of docs/aggregation.md reads top to bottom here.
import { MAX_PLAN_ARGUMENTS, planArguments, planItemOf } from '@pulse/store';
import type { FigureStore, PlanItem, PlanRejection } from '@pulse/store';
import type { ClassifyContext, Classification } from './classify.js';
import { classify, resolverOf } from './classify.js';
import type { DeadLetter } from './dlq.js';
import { deadLetter } from './dlq.js';

export interface BatchRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** The Kafka timestamp, epoch ms as a decimal string (kafkajs's form). */
  timestamp: string;
}

/** What the processor may do to the consumer it runs in. */
export interface BatchControl {
  /** Marks everything up to and including offset as done (kafkajs resolveOffset). */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /** False once the consumer stops or the batch is stale (partition revoked, seek). */
  canContinue(): boolean;
  /** Re-reads the partition from offset; the rest of this batch is abandoned. */
  seek(offset: string): void;
}

/** Counts of one chunk that was applied, for metrics and logs. */
export interface ChunkApplied {
  records: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Rejections by code, dead-lettered in this chunk. */
  rejectedByCode: Map<string, number>;
  /** Newest occurredAt applied, or undefined if none. */
  newestEventAt: number | undefined;
}

export interface BatchObserver {
  applied(partition: number, chunk: ChunkApplied): void;
  /** storedOffset: where the partition stands now (null: none stored). */
  fenced(partition: number, storedOffset: string | null): void;
  skipped(partition: number, records: number): void;
}

export interface PartitionBatchDeps {
  store: Pick<FigureStore, 'probe' | 'plan' | 'apply'>;
  /** Sends to the DLQ and resolves once the broker has acknowledged every record. */
  sendDeadLetters(letters: DeadLetter[]): Promise<void>;
  /** Rules and placement for a partition's records. */
  classifyContext(partition: number): ClassifyContext;
  /** The most records one apply takes; fewer when their script would not fit (see chunkSize). */
  maxApplyRecords: number;
  /**
   * Per partition: script arguments per record of its last plan (planArguments / records), so
   * the next chunk is cut to fit one script instead of being planned whole and split.
   */
  argumentsPerRecord: Map<number, number>;
  observer: BatchObserver;
  /**
   * Per partition: the stored offset this consumer last sought to because the batch began past
   * it. A second batch beginning past the same offset is a real gap (retention, compaction).
   */
  soughtTo: Map<number, string>;
  onGap(
    partition: number,
    storedOffset: string,
    firstOffset: string,
    action: 'seek' | 'accept',
  ): void;
}

export interface PartitionBatch {
  topic: string;
  partition: number;
  records: readonly BatchRecord[];
}

export interface BatchOutcome {
  /** The next offset this consumer is done with (to commit), or null if nothing was done. */
  nextOffset: string | null;
  /** True when the batch was abandoned (stopped, stale, or sought back). */
  abandoned: boolean;
}

const next = (offset: string) => (BigInt(offset) + 1n).toString();

/**
 * Plans are cut to use at most this share of MAX_PLAN_ARGUMENTS, so the next chunk, sized from the
 * last plan's arguments per record, still fits when its mix of events differs a little.
 */
const ARGUMENT_HEADROOM = 0.8;

/**
 * Records in the partition's next chunk: at most maxApplyRecords, and no more than the last plan's
 * arguments per record say fit in one script. A plan that is too large is refused by the store
 * and its records are planned again in parts, so sizing first saves planning them twice.
 */
function chunkSize(deps: PartitionBatchDeps, partition: number): number {
  const perRecord = deps.argumentsPerRecord.get(partition);
  if (perRecord === undefined) return deps.maxApplyRecords;
  const fits = Math.floor((ARGUMENT_HEADROOM * MAX_PLAN_ARGUMENTS) / perRecord);
  return Math.max(1, Math.min(deps.maxApplyRecords, fits));
}

/** Processes one partition batch in chunks of at most deps.maxApplyRecords. */
export async function processPartitionBatch(
  batch: PartitionBatch,
  control: BatchControl,
  deps: PartitionBatchDeps,
): Promise<BatchOutcome> {
  const { records, partition } = batch;
  let done: string | null = null;
  // Chunks cut but not applied yet: the parts of a chunk whose plan was too large, in order.
  const parts: BatchRecord[][] = [];
  let start = 0;
  for (;;) {
    let chunk = parts.shift();
    if (!chunk) {
      if (start >= records.length) break;
      chunk = records.slice(start, start + chunkSize(deps, partition));
      start += chunk.length;
    }
    if (!control.canContinue()) return { nextOffset: done, abandoned: true };
    const result = await processChunk(batch, chunk, control, deps);
    if (result === 'abandon') return { nextOffset: done, abandoned: true };
    if (result === 'split') {
      // The store would refuse the plan (more than MAX_PLAN_ARGUMENTS): apply the records in
      // parts, each its own fenced apply, cut from the arguments per record just measured (at
      // most half the chunk, so a part always gets smaller).
      const size = Math.min(chunkSize(deps, partition), Math.ceil(chunk.length / 2));
      const cut: BatchRecord[][] = [];
      for (let at = 0; at < chunk.length; at += size) cut.push(chunk.slice(at, at + size));
      parts.unshift(...cut);
      continue;
    }
    const last = chunk[chunk.length - 1]!.offset;
    control.resolveOffset(last);
    done = next(last);
    await control.heartbeat();
  }
  return { nextOffset: done, abandoned: false };
}

interface Classified {
  record: BatchRecord;
  result: Classification;
  /** An accepted record's plan item (its effects, buckets and attribution). */
  item?: PlanItem;
}

/** Classifies a record; an accepted one gets its plan item. */
function classified(record: BatchRecord, ctx: ClassifyContext): Classified {
  const input = { key: record.key, value: record.value, timestamp: Number(record.timestamp) };
  const result = classify(input, ctx);
  if (result.kind !== 'accepted') return { record, result };
  const item = planItemOf(result.event, result.attribution, input.timestamp);
  return { record, result, item };
}

async function processChunk(
  batch: PartitionBatch,
  chunk: readonly BatchRecord[],
  control: BatchControl,
  deps: PartitionBatchDeps,
): Promise<'done' | 'abandon' | 'split'> {
  const { partition } = batch;
  const ctx = deps.classifyContext(partition);
  // Each verdict depends on the record alone (its timestamp, not this process's clock), so a
  // retry, a restart or another consumer after a rebalance judges every record the same way: a
  // record dead-lettered by one attempt can never be counted by another.
  let pending: Classified[] = chunk.map((record) => classified(record, ctx));
  // The chunk's record time: the newest timestamp, which trims the state sets.
  let recordClock = -Infinity;
  for (const { timestamp } of chunk) recordClock = Math.max(recordClock, Number(timestamp));
  const lettered = new Set<string>();
  const nextOffset = next(chunk[chunk.length - 1]!.offset);

  for (;;) {
    const probe = await deps.store.probe(partition, acceptedItems(pending));
    const stored = probe.storedOffset;
    const first = pending[0]!.record.offset;
    if (stored !== null && BigInt(stored) < BigInt(first)) {
      // Records between the stored offset and this batch were never applied. Seek back once; if
      // the re-read batch still starts past it, those offsets hold no records (a real gap).
      if (deps.soughtTo.get(partition) !== stored) {
        deps.soughtTo.set(partition, stored);
        deps.onGap(partition, stored, first, 'seek');
        control.seek(stored);
        return 'abandon';
      }
      deps.onGap(partition, stored, first, 'accept');
    } else {
      deps.soughtTo.delete(partition);
    }
    if (stored !== null && BigInt(first) < BigInt(stored)) {
      // Offsets ascend within a partition batch: skip the records below the stored offset.
      const storedAt = BigInt(stored);
      const from = pending.findIndex((c) => BigInt(c.record.offset) >= storedAt);
      const skipped = from < 0 ? pending.length : from;
      deps.observer.skipped(partition, skipped);
      pending = pending.slice(skipped);
      if (pending.length === 0) return 'done';
    }

    const letters: DeadLetter[] = [];
    const rejections: PlanRejection[] = [];
    const items: PlanItem[] = [];
    const byCode = new Map<string, number>();
    let newest: number | undefined;
    for (const { record, result, item } of pending) {
      if (result.kind === 'rejected') {
        rejections.push({ providerOds: result.providerOds, code: result.code });
        byCode.set(result.code, (byCode.get(result.code) ?? 0) + 1);
        if (!lettered.has(record.offset)) {
          lettered.add(record.offset);
          const source = { topic: batch.topic, partition, ...record };
          letters.push(deadLetter(source, result.code, result.detail));
        }
        continue;
      }
      items.push(item!);
      if (!probe.seen.has(item!.eventId) && (newest === undefined || item!.occurredAt > newest)) {
        newest = item!.occurredAt;
      }
    }
    const plan = deps.store.plan({
      partition,
      // The fence is where the probe found the partition in Redis, "none stored" included: an
      // apply by anyone else since (a zombie's too) fences this one out, and it re-probes.
      storedOffset: stored,
      firstOffset: pending[0]!.record.offset,
      nextOffset,
      items,
      rejections,
      seen: probe.seen,
      discharged: probe.discharged,
      sampledUntil: probe.sampledUntil,
      resolve: resolverOf(ctx.refdata),
      clock: recordClock,
    });
    const args = planArguments(plan);
    deps.argumentsPerRecord.set(partition, args / pending.length);
    if (pending.length > 1 && args > MAX_PLAN_ARGUMENTS) return 'split';
    // Dead-letter before the apply that counts the rejection: at-least-once into the DLQ.
    if (letters.length > 0) await deps.sendDeadLetters(letters);
    const applied = await deps.store.apply(plan);
    if (applied.applied) {
      deps.observer.applied(partition, {
        records: pending.length,
        accepted: plan.summary.accepted,
        duplicates: plan.summary.duplicates,
        rejected: plan.summary.rejected,
        rejectedByCode: byCode,
        newestEventAt: newest,
      });
      return 'done';
    }
    // Fenced: another consumer moved the partition on. Re-probe from where it stands, unless
    // this consumer has lost the partition meanwhile.
    deps.observer.fenced(partition, applied.storedOffset);
    if (!control.canContinue()) return 'abandon';
  }
}

/** The accepted records' plan items, which the probe reads ids, days and spells of. */
function acceptedItems(pending: readonly Classified[]): PlanItem[] {
  const items: PlanItem[] = [];
  for (const { item } of pending) if (item) items.push(item);
  return items;
}
