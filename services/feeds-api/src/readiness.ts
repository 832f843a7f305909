// Readiness against the figure store: Redis answers, and the activity topic has no more
// partitions than TOPIC_PARTITIONS says. The reader merges partitions 0..N-1 only; if the topic
// has more, the figures of the others are silently left out. The aggregator stores an offset per
// partition it has applied, so an offset key for partition N (the first one not read) is the
// cheap sign of it: one EXISTS beside the PING. A TOPIC_PARTITIONS larger than the topic's count
// passes that, but the key partitioner then names the wrong partition for most trusts, whose
// figures the reader reads from that partition alone: every trust a partition's fresh hash names
// (its `t:<ods>` field, written when its records are applied there) must be one the partitioner
// puts on that partition.
import type { Redis } from '@pulse/redis';
import type { ReadinessCheck } from '@pulse/service';
import { misplacedTrust } from '@pulse/store';
import { partitionKey } from '@pulse/topology';

/** Where the reader finds the figures: as given to createFigureReader. */
export interface PartitionLayout {
  prefix: string;
  topic: string;
  /** TOPIC_PARTITIONS: the reader merges partitions 0..partitions-1. */
  partitions: number;
}

/** The offset key of partition N = `partitions`, which exists only if the topic has more. */
export function beyondLastPartitionKey(layout: PartitionLayout): string {
  // The offset key layout is docs/aggregation.md's `<prefix>:{<topic>:<partition>}:offset`.
  return `${partitionKey(layout.prefix, layout.topic, layout.partitions)}:offset`;
}

/** What is wrong with TOPIC_PARTITIONS, or undefined when no partition beyond it has an offset. */
export async function partitionCountProblem(
  redis: Redis,
  layout: PartitionLayout,
): Promise<string | undefined> {
  return (await redis.exists(beyondLastPartitionKey(layout))) === 1
    ? tooFewPartitions(layout)
    : undefined;
}

function tooFewPartitions({ topic, partitions }: PartitionLayout): string {
  return (
    `TOPIC_PARTITIONS (${partitions}) is smaller than the partition count of topic ${topic}: ` +
    `the aggregator has applied records of partition ${partitions}, which this API does not ` +
    `read, so its figures would be incomplete. Set TOPIC_PARTITIONS to the topic's partition count.`
  );
}

/**
 * What is wrong with where the reader looks for each trust, or undefined when every trust named
 * by a partition's fresh hash is one `partitionOf` puts on that partition.
 */
export async function trustPlacementProblem(
  redis: Redis,
  layout: PartitionLayout,
  partitionOf: (ods: string) => number,
): Promise<string | undefined> {
  const found = await misplacedTrust(redis, { ...layout, partitionOf });
  return (
    found &&
    `TOPIC_PARTITIONS (${layout.partitions}) does not match topic ${layout.topic}: the records ` +
      `of trust ${found.ods} were applied on partition ${found.partition}, but ` +
      `${layout.partitions} partitions put them on ${found.expected}, where this API reads them. ` +
      `Set TOPIC_PARTITIONS to the topic's partition count.`
  );
}

/**
 * /readyz's checks: `redis` answers PING; `changeLog`, given the push feed's own connection (its
 * follower reads the change log through it), answers PING too; `partitions` fails, naming the
 * problem, when the topic has more partitions than TOPIC_PARTITIONS, or (given the reader's
 * `partitionOf`) when a trust's records are on another partition than the one it is read from.
 */
export function storeReadiness(
  redis: Redis,
  layout: PartitionLayout,
  partitionOf?: (ods: string) => number,
  changeLogRedis?: Redis,
): ReadinessCheck[] {
  return [
    { name: 'redis', check: () => redis.ping() },
    ...(changeLogRedis ? [{ name: 'changeLog', check: () => changeLogRedis.ping() }] : []),
    {
      name: 'partitions',
      check: async () => {
        const problem =
          (await partitionCountProblem(redis, layout)) ??
          (partitionOf && (await trustPlacementProblem(redis, layout, partitionOf)));
        if (problem !== undefined) throw new Error(problem);
      },
    },
  ];
}
