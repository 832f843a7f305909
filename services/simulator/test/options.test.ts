import { describe, expect, it } from 'vitest';
import { DEFAULT_RTT_SCALE, DEFAULT_TOPIC, parseOptions } from '../src/cli/options.js';
import { selectTrusts } from '../src/run.js';
import { testRefData } from './helpers.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');

describe('parseOptions', () => {
  it('should default to a paced, endless run from now on the activity topic', () => {
    const o = parseOptions([], NOW);
    expect(o).toMatchObject({
      topic: DEFAULT_TOPIC,
      from: NOW,
      to: Infinity,
      speed: 1,
      rttScale: DEFAULT_RTT_SCALE,
    });
    expect(o.trusts).toBeUndefined();
  });

  it("should read --rtt-scale full as the whole of England's waiting list", () => {
    expect(parseOptions(['--rtt-scale', 'full'], NOW).rttScale).toBe(1);
  });

  it('should read a fast window with trusts, faults and a log', () => {
    const o = parseOptions([
      '--fast',
      '--from',
      '2026-11-23T00:00:00Z',
      '--to',
      '2026-11-24T00:00:00Z',
      '--trusts',
      'rgt, RJ1',
      '--faults',
      'duplicate=0.1',
      '--log',
      'x.jsonl',
      '--rtt-scale',
      '0',
      '--seed',
      's',
      '--brokers',
      'k:9092',
    ]);
    expect(o).toMatchObject({
      speed: Infinity,
      trusts: ['RGT', 'RJ1'],
      log: 'x.jsonl',
      rttScale: 0,
      seed: 's',
      brokers: 'k:9092',
      from: Date.parse('2026-11-23T00:00:00Z'),
      to: Date.parse('2026-11-24T00:00:00Z'),
    });
    expect(o.faults.duplicate).toBe(0.1);
  });

  it.each([
    [['--from', '2026-11-23'], /--from: "2026-11-23" is not an ISO 8601 UTC instant/],
    [['--to', '2026-02-30T00:00:00Z'], /--to: "2026-02-30T00:00:00Z" is not an ISO 8601/],
    [
      ['--from', '2026-11-24T00:00:00Z', '--to', '2026-11-23T00:00:00Z'],
      /--from .* must be before --to/,
    ],
    [['--from', '2026-11-23T00:00:00Z', '--to', '2026-11-23T00:00:00Z'], /must be before --to/],
    [['--speed', '0'], /--speed: must be a number above 0, got "0"/],
    [['--speed=-2'], /--speed: must be a number above 0/],
    [['--speed', 'fast'], /--speed: must be a number above 0/],
    [['--fast'], /--fast needs --to/],
    [['--fast', '--speed', '2', '--to', '2030-01-01T00:00:00Z'], /exclude each other/],
    [['--faults', 'nope=0.1'], /unknown fault kind "nope"/],
    [['--faults', 'late=2'], /ratio of "late" must be a number from 0 to 1/],
    [['--rtt-scale', '2'], /--rtt-scale: must be a number from 0 to 1 or "full"/],
    [['--topic', 'bad topic'], /is not a Kafka topic name/],
    [['--trusts', ' , '], /at least one ODS code/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('should reject %j', (args, message) => {
    expect(() => parseOptions(args, NOW)).toThrow(message);
  });
});

describe('selectTrusts', () => {
  const from = Date.parse('2026-11-23T00:00:00Z');

  it('should take every trust open on the start date by default', () => {
    const { trusts, openTrusts } = selectTrusts(testRefData(), from, undefined);
    expect(trusts).toBe(openTrusts);
    expect(trusts.length).toBeGreaterThan(150);
  });

  it('should reject a code that is no trust, or not open then, naming it', () => {
    expect(() => selectTrusts(testRefData(), from, ['RGT', 'ZZ9'])).toThrow(
      /--trusts: ZZ9 is not a trust open on 2026-11-23 \(no trust has that ODS code\)/,
    );
    expect(() =>
      selectTrusts(testRefData(), Date.parse('2026-01-01T00:00:00Z'), ['K0N6A']),
    ).toThrow(/K0N6A is not a trust open on 2026-01-01 \(THE ONLINE NHS TRUST is not open then\)/);
  });
});
