// Pacing without waiting: the wall clock is a number the tests set (and a sleep that moves it).
import { createCodec } from '@pulse/contracts';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/cli/options.js';
import type { OutRecord } from '../src/faults/inject.js';
import { londonDayStartOf } from '@pulse/refdata';
import { caughtUpAt, dueAt, isDue, type Pace } from '../src/publish/pace.js';
import { publish, type WallClock } from '../src/publish/publisher.js';
import { paceOf, simulatedRecords } from '../src/run.js';
import { testRefData } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const MIDNIGHT = Date.parse('2026-11-23T00:00:00Z');
/** The run starts at 10:00, ten hours after the simulated start. */
const START = MIDNIGHT + 10 * HOUR;

const catchUp = (speed: number): Pace => ({
  from: MIDNIGHT,
  speed,
  wallStart: START,
  catchUp: true,
});

describe('pace', () => {
  it('catch-up at full speed should make everything up to now due at once, then real time', () => {
    const pace = catchUp(Infinity);
    expect(isDue(pace, MIDNIGHT, START)).toBe(true);
    expect(isDue(pace, START - 1, START)).toBe(true);
    expect(isDue(pace, START, START)).toBe(true);
    expect(isDue(pace, START + 1, START)).toBe(false);
    expect(dueAt(pace, START + 5 * MIN)).toBe(START + 5 * MIN);
    expect(caughtUpAt(pace)).toBe(START);
  });

  it('catch-up at speed N should replay from --from at N x until it meets the wall clock', () => {
    const pace = catchUp(6);
    // Simulated time from + 6 x elapsed meets the wall clock when 10 h + t = 6 t: t = 2 h.
    expect(caughtUpAt(pace)).toBe(START + 2 * HOUR);
    // One wall minute in, simulated time is 00:06.
    expect(dueAt(pace, MIDNIGHT + 6 * MIN)).toBe(START + MIN);
    expect(isDue(pace, MIDNIGHT + 6 * MIN, START + MIN)).toBe(true);
    expect(isDue(pace, MIDNIGHT + 6 * MIN + 1, START + MIN)).toBe(false);
    // After the meeting point, due at its own time: never ahead of the wall clock.
    expect(dueAt(pace, START + 2 * HOUR)).toBe(START + 2 * HOUR);
    expect(dueAt(pace, START + 3 * HOUR)).toBe(START + 3 * HOUR);
    for (const clock of [MIDNIGHT, START, START + HOUR, START + 5 * HOUR]) {
      expect(dueAt(pace, clock)).toBeGreaterThanOrEqual(clock);
    }
  });

  it('catch-up from a future --from should wait for the wall clock', () => {
    const pace: Pace = { from: START + HOUR, speed: 60, wallStart: START, catchUp: true };
    expect(caughtUpAt(pace)).toBe(START);
    expect(dueAt(pace, START + HOUR)).toBe(START + HOUR);
  });

  it('catch-up at speed 1 or less from the past should never catch up', () => {
    expect(caughtUpAt(catchUp(1))).toBe(Infinity);
    expect(dueAt(catchUp(0.5), MIDNIGHT + HOUR)).toBe(START + 2 * HOUR);
  });

  it('plain pacing should run ahead of the wall clock when --speed says so', () => {
    const pace: Pace = { ...catchUp(60), catchUp: false };
    // 60 simulated hours after --from go out one wall hour after the start: 50 h early.
    expect(dueAt(pace, MIDNIGHT + 60 * HOUR)).toBe(START + HOUR);
    expect(caughtUpAt(pace)).toBeUndefined();
  });

  it('paceOf should pace --fast not at all and --catch-up without --speed at full speed', () => {
    const at = (args: string[]) => paceOf(parseOptions(args, START), START);
    expect(at(['--fast', '--to', '2026-11-24T00:00:00Z'])).toBeUndefined();
    expect(at(['--catch-up'])).toEqual(catchUp(Infinity));
    expect(at(['--catch-up', '--speed', '6'])).toEqual(catchUp(6));
    expect(at(['--speed', '2'])).toEqual({
      from: START,
      speed: 2,
      wallStart: START,
      catchUp: false,
    });
  });
});

/** A wall clock at `start` that only moves when the publisher sleeps. */
function fakeClock(start: number): WallClock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const record = (clock: number): OutRecord => ({
  key: 'RGT',
  value: Buffer.from(String(clock)),
  event: null,
  fault: null,
  expect: 'accept',
  clock,
});

describe('publish with a catch-up pace', () => {
  it('should send the past in the first batch, then each record when the clock reaches it', async () => {
    const clock = fakeClock(START);
    const clocks = [MIDNIGHT, MIDNIGHT + HOUR, START - 1, START + MIN, START + 3 * MIN];
    const sent: { at: number; clocks: number[] }[] = [];
    let caughtUp = 0;
    const summary = await publish(clocks.map(record), {
      producer: {
        send: async ({ messages }) => {
          sent.push({ at: clock.now(), clocks: messages.map((m) => Number(String(m.value))) });
          return [];
        },
      },
      topic: 't',
      partitionOf: () => 0,
      pace: catchUp(Infinity),
      clock,
      onCaughtUp: () => caughtUp++,
    });
    expect(summary.records).toBe(5);
    expect(sent).toEqual([
      { at: START, clocks: [MIDNIGHT, MIDNIGHT + HOUR, START - 1] },
      { at: START + MIN, clocks: [START + MIN] },
      { at: START + 3 * MIN, clocks: [START + 3 * MIN] },
    ]);
    expect(clock.sleeps).toEqual([MIN, 2 * MIN]);
    expect(caughtUp).toBe(1);
  });

  it('should stop without sending what is not due once aborted', async () => {
    const clock = fakeClock(START);
    const stop = new AbortController();
    const sent: number[] = [];
    clock.sleep = async () => stop.abort();
    await publish([record(MIDNIGHT), record(START + HOUR)], {
      producer: {
        send: async ({ messages }) => {
          sent.push(...messages.map((m) => Number(String(m.value))));
          return [];
        },
      },
      topic: 't',
      partitionOf: () => 0,
      pace: catchUp(Infinity),
      clock,
      signal: stop.signal,
    });
    expect(sent).toEqual([MIDNIGHT]);
  });
});

describe('--catch-up', () => {
  it('should start at London midnight of today, in GMT and in BST and on the change days', () => {
    const startOf = (now: string) =>
      new Date(parseOptions(['--catch-up'], Date.parse(now)).from).toISOString();
    expect(startOf('2026-11-23T15:00:00Z')).toBe('2026-11-23T00:00:00.000Z');
    expect(startOf('2026-07-01T23:30:00Z')).toBe('2026-07-01T23:00:00.000Z');
    expect(startOf('2026-07-01T22:59:00Z')).toBe('2026-06-30T23:00:00.000Z');
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back on 25 October 2026.
    expect(startOf('2026-03-29T12:00:00Z')).toBe('2026-03-29T00:00:00.000Z');
    expect(startOf('2026-03-30T12:00:00Z')).toBe('2026-03-29T23:00:00.000Z');
    expect(startOf('2026-10-25T12:00:00Z')).toBe('2026-10-24T23:00:00.000Z');
    expect(startOf('2026-10-26T00:30:00Z')).toBe('2026-10-26T00:00:00.000Z');
    expect(londonDayStartOf(Date.parse('2026-10-25T00:59:59Z'))).toBe(
      Date.parse('2026-10-24T23:00:00Z'),
    );
  });

  it('should keep an explicit --from, take --speed and refuse --fast', () => {
    const o = parseOptions(
      ['--catch-up', '--from', '2026-11-23T06:00:00Z', '--speed', '30'],
      START,
    );
    expect(o).toMatchObject({ catchUp: true, from: MIDNIGHT + 6 * HOUR, speed: 30, to: Infinity });
    expect(() =>
      parseOptions(['--catch-up', '--fast', '--to', '2026-11-24T00:00:00Z'], START),
    ).toThrow(/--fast and --catch-up exclude each other/);
  });

  it('a restart later the same day should resend the same records with the same eventIds', () => {
    const args = ['--catch-up', '--trusts', 'RGT,RJ1', '--seed', 'restart', '--rtt-scale', '0.001'];
    const firstRun = parseOptions(args, START);
    const restart = parseOptions(args, START + 5 * HOUR);
    expect(restart.from).toBe(firstRun.from);
    const upTo = (options: typeof firstRun, limit: number) => {
      const out: string[] = [];
      for (const r of simulatedRecords(options, testRefData(), createCodec())) {
        if (r.clock >= limit) break;
        out.push(`${r.event?.eventId} ${r.value.toString('base64')}`);
      }
      return out;
    };
    const first = upTo(firstRun, START);
    expect(first.length).toBeGreaterThan(1000);
    expect(upTo(restart, START)).toEqual(first);
  });
});
