import { createLogger } from '@pulse/logging';
import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  OUTAGE_TOLERANCE_MS,
  createKafka,
  createProducer,
  kafkajsLevel,
  parseBrokers,
  pinoLogCreator,
  retryCovering,
} from '../src/index.js';

/** A pino destination that keeps the parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

describe('@pulse/kafka', () => {
  it('parseBrokers should split the KAFKA_BROKERS comma list and drop blanks', () => {
    expect(parseBrokers(' a:9092, b:9093 ,,')).toEqual(['a:9092', 'b:9093']);
    expect(parseBrokers(['c:1'])).toEqual(['c:1']);
  });

  it('pinoLogCreator should write kafkajs entries as pino lines with their namespace and fields', () => {
    const { lines, destination } = capture();
    const log = pinoLogCreator(createLogger({ service: 's', destination }))(logLevel.INFO);
    log({
      namespace: 'Consumer',
      level: logLevel.WARN,
      label: 'WARN',
      log: { message: 'rebalancing', timestamp: 't', logger: 'kafkajs', groupId: 'g' },
    });
    expect(lines[0]).toMatchObject({
      level: 40,
      component: 'kafkajs',
      kafkajs: 'Consumer',
      groupId: 'g',
      msg: 'rebalancing',
    });
  });

  it('kafkajsLevel should follow the pino level', () => {
    expect(kafkajsLevel(createLogger({ service: 's', level: 'debug' }))).toBe(logLevel.DEBUG);
    expect(kafkajsLevel(createLogger({ service: 's', level: 'warn' }))).toBe(logLevel.WARN);
    expect(kafkajsLevel(createLogger({ service: 's', level: 'silent' }))).toBe(logLevel.ERROR);
  });

  it('createProducer should make an idempotent producer without the limited-retries warning', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 's', destination });
    // Nothing connects: kafkajs checks the retry settings when the producer is created.
    const kafka = createKafka({ brokers: '127.0.0.1:1', clientId: 'pulse-test', logger });
    createProducer(kafka);
    createProducer(kafka, { idempotent: false });
    expect(lines.filter((line) => Number(line.level) >= 40)).toEqual([]);
    // An explicit limit is the caller's choice, and kafkajs says what it costs.
    createProducer(kafka, { retry: { retries: 2 } });
    expect(lines.map((line) => line.msg)).toContain(
      'Limiting retries for the idempotent producer may invalidate EoS guarantees',
    );
  });

  it('retryCovering should give retries whose shortest waits still add up to the time asked', () => {
    // Regression: 8 retries gave up after about a minute without a broker, and the simulator exited.
    expect(OUTAGE_TOLERANCE_MS).toBeGreaterThanOrEqual(10 * 60_000);
    for (const ms of [1_000, 60_000, OUTAGE_TOLERANCE_MS]) {
      const retry = retryCovering(ms);
      // kafkajs's schedule with every random draw at its lowest (− factor).
      let total = 0;
      let wait = retry.initialRetryTime! * (1 - retry.factor!);
      for (let i = 0; i < retry.retries!; i++) {
        total += wait;
        wait = Math.min(wait * (1 - retry.factor!) * retry.multiplier!, retry.maxRetryTime!);
      }
      expect(total, `${ms} ms`).toBeGreaterThanOrEqual(ms);
      // And not wildly more: the count is derived, not a guess.
      expect(total, `${ms} ms`).toBeLessThan(ms + retry.maxRetryTime!);
    }
  });
});
