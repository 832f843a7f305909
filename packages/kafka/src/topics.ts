import type { Admin, ITopicConfig } from 'kafkajs';

/** Activity events from every trust, Avro single-object encoded; key = provider ODS code. */
export const ACTIVITY_TOPIC = 'nhs.activity.v1';

/** Rejected records: the original key and bytes, the reason in headers. */
export const DLQ_TOPIC = 'nhs.activity.dlq.v1';

/** What a topic should look like: kafkajs's ITopicConfig (name, partitions, configs). */
export type TopicSpec = ITopicConfig;

/** The project's topics with their default shape, as `npm run infra:up` and services create them. */
export const PULSE_TOPICS: readonly TopicSpec[] = [
  // 12 partitions: aggregator replicas scale up to 12; trusts (keys) spread over them.
  { topic: ACTIVITY_TOPIC, numPartitions: 12 },
  // Rejects are rare and read by people and tools, not scaled consumers.
  { topic: DLQ_TOPIC, numPartitions: 1 },
];

export interface EnsureTopicsResult {
  /** Topics this call created. */
  created: string[];
  /** Topics that were already there (their partition count is left as it is). */
  existing: string[];
}

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
  if (missing.length > 0) await admin.createTopics({ topics: [...missing], waitForLeaders: true });
  return {
    created: missing.map((spec) => spec.topic),
    existing: specs.filter((spec) => present.has(spec.topic)).map((spec) => spec.topic),
  };
}
