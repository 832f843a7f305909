import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_PARTITIONS,
  ActivePrefixError,
  activePrefixKey,
  ACTIVITY_RETENTION_MS,
  ACTIVITY_TOPIC,
  DEFAULT_KEY_PREFIX,
  DLQ_TOPIC,
  KEY_PREFIX_RULE,
  partitionKey,
  parseActivePrefix,
  PULSE_TOPICS,
  rebuildPrefix,
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

  it('activePrefixKey should be the one pointer key beside the base prefix', () => {
    expect(activePrefixKey('pulse')).toBe('pulse:active-prefix');
  });

  it('parseActivePrefix should follow the base or a rebuild prefix of it, absent meaning the base', () => {
    const rebuilt = rebuildPrefix('pulse', 1_764_646_800_000);
    expect(rebuilt).toBe('pulse:r1764646800000');
    expect(parseActivePrefix('pulse', null)).toBe('pulse');
    expect(parseActivePrefix('pulse', 'pulse')).toBe('pulse');
    expect(parseActivePrefix('pulse', rebuilt)).toBe(rebuilt);
    expect(parseActivePrefix('test:a.b', 'test:a.b:r7')).toBe('test:a.b:r7');
  });

  it('parseActivePrefix should refuse a pointer naming any other prefix', () => {
    for (const bad of [
      '',
      'other',
      'other:r1',
      'pulse:r',
      'pulse:rx1',
      'pulse:r1:r2',
      'pulse:r12345678901234567',
      'pulse:r1 ',
      'pulsex:r1',
      'pulse:{t:0}',
    ]) {
      expect(() => parseActivePrefix('pulse', bad), bad).toThrow(ActivePrefixError);
    }
  });

  it('rebuildPrefix should refuse a start that is not epoch ms', () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => rebuildPrefix('pulse', bad)).toThrow();
  });
});
