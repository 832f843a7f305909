import { ConfigError } from '@pulse/config';
import { describe, expect, it } from 'vitest';
import { loadAggregatorConfig } from '../src/config.js';
import { ACTIVITY_TOPIC, DLQ_TOPIC } from '@pulse/topology';

describe('loadAggregatorConfig', () => {
  it('loadAggregatorConfig should run on one machine with no configuration', () => {
    const config = loadAggregatorConfig({});
    expect(config).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      groupId: 'pulse-aggregator',
      activityTopic: ACTIVITY_TOPIC,
      dlqTopic: DLQ_TOPIC,
      keyPrefix: 'pulse',
      graceMs: 14 * 86_400_000,
      maxFutureMs: 5 * 60_000,
      clockOffsetMs: 0,
      maxApplyRecords: 5_000,
      fromBeginning: true,
    });
  });

  it('loadAggregatorConfig should let a group drop a crashed replica within seconds by default', () => {
    // Regression: 30 s sessions stalled the whole group for 30-42 s after each kill -9.
    const { sessionTimeoutMs, heartbeatIntervalMs } = loadAggregatorConfig({});
    expect(sessionTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(heartbeatIntervalMs * 3).toBeLessThanOrEqual(sessionTimeoutMs);
  });

  it('loadAggregatorConfig should report every bad variable at once', () => {
    let error: unknown;
    try {
      loadAggregatorConfig({ GRACE_DAYS: 'soon', PORT: '70000', FROM_BEGINNING: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('GRACE_DAYS');
    expect(problems).toContain('PORT');
    expect(problems).toContain('FROM_BEGINNING');
  });

  it('loadAggregatorConfig should refuse 15-minute retention that does not outlive the grace period', () => {
    expect(() => loadAggregatorConfig({ GRACE_DAYS: '40' })).toThrow(/RETENTION_15M_DAYS/);
  });

  it('loadAggregatorConfig should accept a negative clock offset for replays', () => {
    expect(loadAggregatorConfig({ CLOCK_OFFSET_MS: '-86400000' }).clockOffsetMs).toBe(-86_400_000);
  });
});
