// Rebuild from the log (docs/aggregation.md, "Rebuild"): an aggregator of its own consumer group
// writes every figure from the activity topic's first retained record into a fresh key prefix,
// while the live aggregators and the feeds API go on with the active one. Once caught up it
// switches the pointer, retires the old prefix (no apply reaches it after that), applies up to
// where the old prefix stopped, leaves, and drops the old prefix's keys.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@pulse/logging';
import type { Redis } from '@pulse/redis';
import type { RefData } from '@pulse/refdata';
import { dropPrefix, partitionKey, retirePrefix } from '@pulse/store';
import { activePrefixKey, parseActivePrefix, rebuildPrefix } from '@pulse/topology';
import type { Kafka } from 'kafkajs';
import { buildAggregator } from './aggregator.js';
import type { AggregatorConfig } from './config.js';
import { lagOf } from './lag.js';
import type { AggregatorMetrics } from './metrics.js';

export interface RebuildDeps {
  kafka: Kafka;
  /** Create it with AGGREGATOR_REDIS_OPTIONS: the rebuild's aggregator writes through it. */
  redis: Redis;
  logger: Logger;
  refdata?: RefData;
  metrics?: AggregatorMetrics;
  /** Epoch ms; names the new prefix and the rebuild's consumer group. */
  now?: () => number;
  /** How often progress is checked, ms (default 1 s). */
  pollMs?: number;
  /** Called once the pointer names the new prefix (tests read the API across it). */
  onSwitched?(prefix: string): Promise<void> | void;
}

export interface RebuildResult {
  /** The prefix served before, dropped now. */
  previous: string;
  /** The prefix rebuilt and served now. */
  prefix: string;
  /** Keys of the previous prefix unlinked (its retired offset keys expire by themselves). */
  dropped: number;
}

/** Sets the pointer only if it still holds what it held when the rebuild started. */
const SWITCH_LUA = `if (redis.call('GET', KEYS[1]) or '') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Rebuilds every figure into a fresh prefix, switches the pointer to it and drops the old one. */
export async function rebuild(config: AggregatorConfig, deps: RebuildDeps): Promise<RebuildResult> {
  const { redis, logger } = deps;
  const log = logger.child({ component: 'rebuild' });
  const pollMs = deps.pollMs ?? 1_000;
  const base = config.keyPrefix;
  const topic = config.activityTopic;
  const pointerKey = activePrefixKey(base);
  const held = await redis.get(pointerKey);
  const previous = parseActivePrefix(base, held);
  const startedAt = (deps.now ?? Date.now)();
  const prefix = rebuildPrefix(base, startedAt);
  const groupId = `${config.groupId}.rebuild.${startedAt}`;

  const admin = deps.kafka.admin();
  await admin.connect();
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = topics[0]?.partitions.length ?? 0;
  /** Set at the switch: where each partition of the previous prefix stopped. */
  let retired: Map<number, string | null> | undefined;
  const offsetOf = async (space: string, partition: number): Promise<bigint> => {
    const stored = await redis.get(`${partitionKey(space, topic, partition)}:offset`);
    return stored === null || !/^\d+$/.test(stored) ? 0n : BigInt(stored);
  };
  const aggregator = buildAggregator(
    { ...config, groupId, fromBeginning: true },
    {
      kafka: deps.kafka,
      redis,
      logger,
      ...(deps.refdata ? { refdata: deps.refdata } : {}),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      rebuild: {
        prefix,
        // The live aggregators dead-lettered every record the previous prefix has applied.
        deadLetterFrom: async (partition) =>
          retired ? BigInt(retired.get(partition) ?? '0') : await offsetOf(previous, partition),
      },
    },
  );
  /** Resolves once the new prefix's offset of every partition is at or past `target(p)`. */
  const reach = async (what: string, target: (p: number) => Promise<bigint>) => {
    let lastLog = 0;
    for (;;) {
      let behind = 0;
      for (let p = 0; p < partitions; p++) {
        const want = await target(p);
        const have = await offsetOf(prefix, p);
        if (have < want) behind += Number(want - have);
      }
      if (behind === 0) return;
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log.info({ prefix, behind }, `rebuilding: ${behind} records to apply before ${what}`);
      }
      await sleep(pollMs);
    }
  };

  let switched = false;
  try {
    log.info({ previous, prefix, groupId, partitions }, 'rebuild started');
    await aggregator.start();
    // Caught up: every record the topic holds now applied (an empty partition needs none).
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic)).map((o) => [
        o.partition,
        { high: BigInt(o.high), low: BigInt(o.low) },
      ]),
    );
    await reach('the switch', async (p) => {
      const end = ends.get(p);
      return end && lagOf(end, undefined) > 0 ? end.high : 0n;
    });
    const swapped = await redis.eval(SWITCH_LUA, 1, pointerKey, held ?? '', prefix);
    if (swapped !== 1) throw new Error(`${pointerKey} changed while rebuilding: not switched`);
    switched = true;
    log.info({ previous, prefix }, 'switched: the feeds API and the aggregators follow');
    await deps.onSwitched?.(prefix);
    // No apply reaches the previous prefix after this; the new one takes it to where it stopped,
    // so an idle partition misses nothing the previous prefix had.
    retired = await retirePrefix(redis, { prefix: previous, topic, partitions });
    await reach('leaving', async (p) => BigInt(retired!.get(p) ?? '0'));
  } catch (err) {
    await aggregator.stop().catch(() => {});
    if (!switched) await dropPrefix(redis, { prefix, topic }).catch(() => {});
    await admin.disconnect();
    throw err;
  }
  await aggregator.stop();
  await admin.deleteGroups([groupId]).catch((err: unknown) => {
    log.warn({ err, groupId }, 'rebuild consumer group not deleted');
  });
  await admin.disconnect();
  const dropped = await dropPrefix(redis, { prefix: previous, topic });
  log.info({ previous, prefix, dropped }, 'rebuild done: previous prefix dropped');
  return { previous, prefix, dropped };
}
