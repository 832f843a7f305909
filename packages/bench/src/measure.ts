// measure(): run a function a fixed number of times, after a warm-up, in several rounds, and
// report the median rate. Fixed iteration counts keep runs comparable across machines.
import { performance } from 'node:perf_hooks';

export interface MeasureOptions {
  /** Calls per round. */
  iterations: number;
  /** Calls before timing starts, so the JIT has settled. Default: iterations / 4. */
  warmup?: number;
  /** Timed rounds; the median is reported. Default: 5. */
  rounds?: number;
}

export interface Measurement {
  readonly name: string;
  readonly iterations: number;
  readonly rounds: number;
  /** Median over the rounds, operations per second. */
  readonly opsPerSec: number;
  readonly minOpsPerSec: number;
  readonly maxOpsPerSec: number;
}

/** Results are kept here so the engine cannot drop the calls being timed. */
let sink: unknown;

export function measure(
  name: string,
  fn: (i: number) => unknown,
  options: MeasureOptions,
): Measurement {
  const { iterations } = options;
  const warmup = options.warmup ?? Math.ceil(iterations / 4);
  const rounds = options.rounds ?? 5;
  if (!(iterations > 0 && rounds > 0)) throw new RangeError('iterations and rounds must be > 0');
  for (let i = 0; i < warmup; i++) sink = fn(i);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) sink = fn(i);
    const seconds = Math.max(performance.now() - start, 1e-3) / 1000;
    rates.push(iterations / seconds);
  }
  rates.sort((a, b) => a - b);
  return {
    name,
    iterations,
    rounds,
    opsPerSec: rates[Math.floor(rates.length / 2)]!,
    minOpsPerSec: rates[0]!,
    maxOpsPerSec: rates.at(-1)!,
  };
}

/** The last value a measured function returned (exported so the sink is observable). */
export function lastResult(): unknown {
  return sink;
}
