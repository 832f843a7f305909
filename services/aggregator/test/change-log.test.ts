// The change log through the real pipeline: each apply appends exactly one entry in the same
// script, so while two aggregators rebalance over the partitions (fenced applies included), the
// entries of each partition chain its offsets from the first record to the stored offset with no
// gap and no overlap, and count every event once.
import { createCodec } from '@pulse/contracts';
import type { ActivityEvent } from '@pulse/contracts';
import { createChangeReader } from '@pulse/store';
import type { Change } from '@pulse/store';
import { testProducer } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import { admission, edArrival } from './helpers/events.js';
import {
  createWorld,
  startInProcess,
  storedOffsets,
  waitUntilCaughtUp,
} from './helpers/harness.js';
import type { World } from './helpers/harness.js';

const codec = createCodec();
const MINUTE = 60_000;
const TRUSTS = ['RGT', 'RRK', 'RAJ', 'RWE', 'RTH', 'R0A'];

function events(n: number, end: number): ActivityEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const ods = TRUSTS[i % TRUSTS.length]!;
    return i % 3 === 0 ? admission(ods, end - i * MINUTE) : edArrival(ods, end - i * MINUTE);
  });
}

async function send(world: World, list: readonly ActivityEvent[]): Promise<void> {
  const producer = await testProducer();
  for (let at = 0; at < list.length; at += 50) {
    await producer.send({
      topic: world.topic,
      messages: list
        .slice(at, at + 50)
        .map((e) => ({ key: e.providerOds, value: codec.encode(e) })),
    });
  }
}

describe('aggregator change log', () => {
  it('aggregator should append one change-log entry per apply, chaining each partition offsets with no gap or overlap through a rebalance', async () => {
    const world = await createWorld({ partitions: 3, env: { MAX_APPLY_RECORDS: '40' } });
    const changes = createChangeReader(world.redis, {
      prefix: world.prefix,
      topic: world.topic,
      partitions: world.partitions,
    });
    const start = await changes.headCursor();
    const now = Date.now() - 30 * MINUTE;
    const first = events(300, now - 400 * MINUTE);
    const second = events(300, now);

    await startInProcess(world);
    await send(world, first);
    // A second instance joins mid-stream: partitions move, and resends are duplicates.
    await startInProcess(world);
    await send(world, [...second, ...first.slice(0, 60)]);
    await waitUntilCaughtUp(world);

    const log: Change[] = [];
    let cursor = start;
    for (;;) {
      const page = await changes.readChanges(cursor, { limit: 7 });
      if (page.changes.length === 0) break;
      log.push(...page.changes);
      cursor = page.nextCursor;
    }
    expect(await changes.headCursor()).toBe(cursor);

    const stored = await storedOffsets(world);
    for (let partition = 0; partition < world.partitions; partition++) {
      const mine = log.filter((c) => c.partition === partition);
      let next = 0n;
      for (const change of mine) {
        expect(BigInt(change.offsets.first), `partition ${partition}`).toBe(next);
        next = BigInt(change.offsets.next);
      }
      expect(next).toBe(stored.get(partition) ?? 0n);
    }
    const sent = [...first, ...second];
    expect(log.reduce((sum, c) => sum + c.events, 0)).toBe(sent.length);
    const emitted = sent.map((e) => e.emittedAt);
    for (const change of log.filter((c) => c.events > 0)) {
      expect(change.emittedAt!.oldest).toBeGreaterThanOrEqual(Math.min(...emitted));
      expect(change.emittedAt!.newest).toBeLessThanOrEqual(Math.max(...emitted));
    }
    const scopes = new Set(log.flatMap((c) => c.scopes.map((s) => s.scope)));
    for (const ods of TRUSTS) expect(scopes).toContain(`t:${ods}`);
    expect(scopes).toContain('e');
  });
});
