import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_PARTITIONS,
  ACTIVITY_RETENTION_MS,
  ACTIVITY_TOPIC,
  DEFAULT_KEY_PREFIX,
  DLQ_TOPIC,
  KEY_PREFIX_RULE,
  partitionKey,
  PULSE_TOPICS,
  REBUILD_HORIZON_MS,
  RETENTION_GRACE_MS,
} from '../src/index.js';

describe('topology', () => {
  it('PULSE_TOPICS should be the activity topic with its partitions, then the DLQ', () => {
    expect(PULSE_TOPICS.map((t) => t.topic)).toEqual([ACTIVITY_TOPIC, DLQ_TOPIC]);
    expect(PULSE_TOPICS[0]!.numPartitions).toBe(ACTIVITY_PARTITIONS);
  });

  it('the activity topic should stamp records on receipt and keep them for the rebuild horizon and grace', () => {
    expect(PULSE_TOPICS[0]!.configEntries).toEqual([
      { name: 'message.timestamp.type', value: 'LogAppendTime' },
      { name: 'retention.ms', value: String(REBUILD_HORIZON_MS + RETENTION_GRACE_MS) },
    ]);
    expect(ACTIVITY_RETENTION_MS).toBe((5 * 365 + 1 + 14) * 86_400_000);
  });

  it('partitionKey should tag a partition so its keys share one hash slot', () => {
    expect(partitionKey('pulse', ACTIVITY_TOPIC, 7)).toBe(`pulse:{${ACTIVITY_TOPIC}:7}`);
  });

  it('KEY_PREFIX_RULE should refuse spaces, braces and empty prefixes', () => {
    expect(KEY_PREFIX_RULE.test(DEFAULT_KEY_PREFIX)).toBe(true);
    for (const bad of ['', 'a b', 'a{b', 'x}', 'p'.repeat(101)])
      expect(KEY_PREFIX_RULE.test(bad), bad).toBe(false);
  });
});
