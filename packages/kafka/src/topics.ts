import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';

/**
 * What a topic should look like: kafkajs's ITopicConfig (name, partitions, configs). The project's
 * own topics and their shape are @pulse/topology's PULSE_TOPICS.
 */
export type TopicSpec = ITopicConfig;

export interface EnsureTopicsResult {
  /** Topics this call created. */
  created: string[];
  /** Topics that were already there (their partition count is left as it is). */
  existing: string[];
}

/** How long ensureTopics waits for the partition leaders of the topics it created. */
const LEADER_WAIT_MS = 30_000;
/** Metadata errors that mean "created, not visible or led yet" right after creating a topic. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates the topics in `specs` that do not exist yet and waits for their partition leaders.
 * Existing topics are not altered: adding partitions would move keys between partitions and
 * break per-trust ordering, so that stays a deliberate operator step.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
): Promise<EnsureTopicsResult> {
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !present.has(spec.topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: [...missing], waitForLeaders: false });
    await waitForLeaders(admin, missing);
  }
  return {
    created: missing.map((spec) => spec.topic),
    existing: specs.filter((spec) => present.has(spec.topic)).map((spec) => spec.topic),
  };
}

/**
 * Polls the metadata (backoff 50 ms doubling to 1 s, for LEADER_WAIT_MS at most) until every
 * partition of every topic has a leader. Not kafkajs's `waitForLeaders`: it retries only
 * LEADER_NOT_AVAILABLE, while right after creating a topic a KRaft broker can still answer
 * UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition"), which kafkajs
 * then throws although the topic was created (kafkajs 2.2.4, retryOnLeaderNotAvailable in
 * src/admin/index.js; reported in tulios/kafkajs#815, fix proposed in #1558, not merged).
 */
async function waitForLeaders(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const waiting = await leaderless(admin, specs);
    if (waiting.length === 0) return;
    if (Date.now() + delay > deadline) {
      throw new Error(
        `topics without partition leaders after ${LEADER_WAIT_MS} ms: ${waiting.join(', ')}`,
      );
    }
    await sleep(delay);
  }
}

/** The topics of `specs` not yet listed with all their partitions led. */
async function leaderless(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  let topics;
  try {
    ({ topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) }));
  } catch (err) {
    if (NOT_YET.has(String((err as { type?: unknown }).type))) return specs.map((s) => s.topic);
    throw err;
  }
  return specs
    .filter((spec) => {
      const partitions = topics.find((t) => t.name === spec.topic)?.partitions ?? [];
      const expected = Math.max(spec.numPartitions ?? 1, 1);
      return partitions.length < expected || partitions.some((p) => p.leader < 0);
    })
    .map((spec) => spec.topic);
}
