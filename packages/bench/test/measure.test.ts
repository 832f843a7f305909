import { describe, expect, it } from 'vitest';
import { describeMachine, lastResult, machineInfo, measure } from '../src/index.js';

describe('measure', () => {
  it('measure should call the function warm-up plus rounds times iterations', () => {
    let calls = 0;
    const result = measure('count', (i) => (calls++, i), {
      iterations: 100,
      warmup: 10,
      rounds: 3,
    });
    expect(calls).toBe(310);
    expect(lastResult()).toBe(99);
    expect(result).toMatchObject({ name: 'count', iterations: 100, rounds: 3 });
    expect(result.minOpsPerSec).toBeLessThanOrEqual(result.opsPerSec);
    expect(result.opsPerSec).toBeLessThanOrEqual(result.maxOpsPerSec);
  });

  it('measure should refuse zero iterations', () => {
    expect(() => measure('none', () => 0, { iterations: 0 })).toThrow(RangeError);
  });

  it('machineInfo should describe CPU, cores, memory and Node version', () => {
    const info = machineInfo();
    expect(info.cores).toBeGreaterThan(0);
    expect(info.node).toBe(process.version);
    expect(describeMachine(info)).toContain(`Node ${process.version}`);
  });
});
