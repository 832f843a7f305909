// processPartitionBatch without a broker or Redis: a store double that plans for real and can
// fail an apply, so a retry after a failure can be replayed exactly.
import { createCodec } from '@pulse/contracts';
import { loadRefData } from '@pulse/refdata';
import { planBatch, resolveStoreOptions } from '@pulse/store';
import type { BatchPlan } from '@pulse/store';
import { describe, expect, it } from 'vitest';
import { createClassifyClocks } from '../src/classify-clocks.js';
import type { DeadLetter } from '../src/dlq.js';
import { DLQ_HEADERS } from '@pulse/topology';
import { processPartitionBatch } from '../src/partition-batch.js';
import type { BatchRecord, PartitionBatchDeps } from '../src/partition-batch.js';
import { edArrival } from './helpers/events.js';
import { DAY_MS as DAY } from '@pulse/kpi';

const codec = createCodec();
const refdata = loadRefData();
const MINUTE = 60_000;
// Noon BST on 15 May 2026.
const START = Date.UTC(2026, 4, 15, 11, 0, 0);

/** A partition batch's world: the clock, what reached the DLQ and what was applied. */
function harness() {
  const world = { now: START, failNextApply: false, letters: [] as DeadLetter[] };
  const applied: BatchPlan[] = [];
  const options = resolveStoreOptions({ prefix: 'p', topic: 't' });
  const deps: PartitionBatchDeps = {
    store: {
      probe: async () => ({ storedOffset: applied.at(-1)?.next ?? null, seen: new Set<string>() }),
      plan: (input) => planBatch(input, options),
      async apply(plan) {
        if (world.failNextApply) {
          world.failNextApply = false;
          throw new Error('Redis connection lost');
        }
        applied.push(plan);
        return { applied: true };
      },
    },
    sendDeadLetters: async (letters) => void world.letters.push(...letters),
    classifyContext: () => ({
      codec,
      refdata,
      clock: world.now,
      graceMs: 14 * DAY,
      maxFutureMs: 5 * MINUTE,
    }),
    classifyClocks: createClassifyClocks(),
    maxApplyRecords: 1_000,
    argumentsPerRecord: new Map(),
    observer: { applied: () => {}, fenced: () => {}, skipped: () => {} },
    soughtTo: new Map(),
    onGap: () => {},
  };
  return { world, applied, deps };
}

const control = {
  resolveOffset: () => {},
  heartbeat: async () => {},
  canContinue: () => true,
  seek: () => {},
};

const record = (offset: number, occurredAt: number): BatchRecord => ({
  offset: String(offset),
  key: Buffer.from('RGT'),
  value: codec.encode(edArrival('RGT', occurredAt)),
});

describe('processPartitionBatch', () => {
  it('partition batch should keep a FUTURE_DATED record rejected when its failed apply is retried after the clock moved on (regression: dead-lettered and counted)', async () => {
    const { world, applied, deps } = harness();
    // Ten minutes ahead: FUTURE_DATED now, acceptable once the clock has moved on 10 minutes.
    const records = [record(0, START - MINUTE), record(1, START + 10 * MINUTE)];
    const batch = { topic: 't', partition: 0, records };

    world.failNextApply = true;
    await expect(processPartitionBatch(batch, control, deps)).rejects.toThrow(/connection lost/);
    expect(world.letters.map((l) => l.headers[DLQ_HEADERS.code])).toEqual(['FUTURE_DATED']);

    world.now += 20 * MINUTE;
    expect(await processPartitionBatch(batch, control, deps)).toEqual({
      nextOffset: '2',
      abandoned: false,
    });
    expect(applied).toHaveLength(1);
    expect(applied[0]!.summary).toEqual({ accepted: 1, duplicates: 0, rejected: 1 });
    // Dead-lettered again (the DLQ is at-least-once), never counted as accepted.
    expect(world.letters.map((l) => l.headers[DLQ_HEADERS.code])).toEqual([
      'FUTURE_DATED',
      'FUTURE_DATED',
    ]);

    // Applied, its clock is forgotten: later records are classified with the current clock.
    const later = [record(2, START + 10 * MINUTE)];
    await processPartitionBatch({ ...batch, records: later }, control, deps);
    expect(applied[1]!.summary).toEqual({ accepted: 1, duplicates: 0, rejected: 0 });
  });
});

describe('classify clocks', () => {
  it('classify clocks should give each offset the clock it was first classified with until it is applied', () => {
    const clocks = createClassifyClocks();
    const first = clocks.forChunk(0, '10', '19', 1_000);
    expect(first('10')).toBe(1_000);
    // A retry that reads further: the earlier offsets keep their clock, the new ones take now.
    const retry = clocks.forChunk(0, '10', '29', 2_000);
    expect([retry('10'), retry('19'), retry('20'), retry('29')]).toEqual([
      1_000, 1_000, 2_000, 2_000,
    ]);
    // Another partition is independent.
    expect(clocks.forChunk(1, '10', '19', 3_000)('10')).toBe(3_000);
    // Once 10-19 are applied, only 20-29 keep theirs; 30 on takes the clock of its first attempt.
    clocks.applied(0, '20');
    const after = clocks.forChunk(0, '20', '39', 4_000);
    expect([after('20'), after('29'), after('30')]).toEqual([2_000, 2_000, 4_000]);
    clocks.applied(0, '40');
    expect(clocks.forChunk(0, '40', '40', 5_000)('40')).toBe(5_000);
  });
});
