import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_PARTITIONS,
  ACTIVITY_TOPIC,
  DEFAULT_KEY_PREFIX,
  DLQ_TOPIC,
  KEY_PREFIX_RULE,
  partitionKey,
  PULSE_TOPICS,
} from '../src/index.js';

describe('topology', () => {
  it('PULSE_TOPICS should be the activity topic with its partitions, then the DLQ', () => {
    expect(PULSE_TOPICS.map((t) => t.topic)).toEqual([ACTIVITY_TOPIC, DLQ_TOPIC]);
    expect(PULSE_TOPICS[0]!.numPartitions).toBe(ACTIVITY_PARTITIONS);
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
