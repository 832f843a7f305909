// processPartitionBatch without a broker or Redis: a store double that plans for real and can
// fail an apply, so a retry after a failure can be replayed exactly.
import { createCodec } from '@pulse/contracts';
import { loadRefData } from '@pulse/refdata';
import { planBatch, resolveStoreOptions } from '@pulse/store';
import type { BatchPlan } from '@pulse/store';
import { describe, expect, it } from 'vitest';
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
  const world = { failNextApply: false, letters: [] as DeadLetter[] };
  const applied: BatchPlan[] = [];
  const options = resolveStoreOptions({ prefix: 'p', topic: 't' });
  const deps: PartitionBatchDeps = {
    store: {
      probe: async () => ({
        storedOffset: applied.at(-1)?.next ?? null,
        seen: new Set<string>(),
        discharged: new Map(),
        sampledUntil: new Map(),
      }),
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
      graceMs: 14 * DAY,
      maxFutureMs: 5 * MINUTE,
    }),
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

/** A record received (timestamped) at START. */
const record = (offset: number, occurredAt: number): BatchRecord => ({
  offset: String(offset),
  key: Buffer.from('RGT'),
  value: codec.encode(edArrival('RGT', occurredAt)),
  timestamp: String(START),
});

describe('processPartitionBatch', () => {
  it('partition batch should keep a FUTURE_DATED record rejected when its failed apply is retried by another consumer later (regression: dead-lettered and counted)', async () => {
    const { world, applied, deps } = harness();
    // Ten minutes after its record's timestamp: FUTURE_DATED, whenever it is processed.
    const records = [record(0, START - MINUTE), record(1, START + 10 * MINUTE)];
    const batch = { topic: 't', partition: 0, records };

    world.failNextApply = true;
    await expect(processPartitionBatch(batch, control, deps)).rejects.toThrow(/connection lost/);
    expect(world.letters.map((l) => l.headers[DLQ_HEADERS.code])).toEqual(['FUTURE_DATED']);

    // Another consumer (fresh dependencies, no memory of the first attempt) an hour later.
    const next = harness();
    expect(await processPartitionBatch(batch, control, next.deps)).toEqual({
      nextOffset: '2',
      abandoned: false,
    });
    expect(next.applied).toHaveLength(1);
    expect(next.applied[0]!.summary).toEqual({ accepted: 1, duplicates: 0, rejected: 1 });
    // Dead-lettered again (the DLQ is at-least-once), never counted as accepted.
    expect(next.world.letters.map((l) => l.headers[DLQ_HEADERS.code])).toEqual(['FUTURE_DATED']);
    expect(applied).toHaveLength(0);
  });

  it('partition batch should judge lateness by the record timestamp, not when it is processed', async () => {
    const { applied, deps } = harness();
    // Processed long after they were received (a backlog, an outage, a rebuild): an event a day
    // older than its record is on time; 14 days and 1 ms older is TOO_LATE.
    const records = [
      record(0, START - DAY),
      record(1, START - 14 * DAY),
      record(2, START - 14 * DAY - 1),
      record(3, START + 5 * MINUTE),
    ];
    await processPartitionBatch({ topic: 't', partition: 0, records }, control, deps);
    expect(applied[0]!.summary).toEqual({ accepted: 3, duplicates: 0, rejected: 1 });
    expect([...applied[0]!.increments.values()].some((f) => f.get('rejected:TOO_LATE') === 1)).toBe(
      true,
    );
  });
});
