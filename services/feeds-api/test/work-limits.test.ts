// The API bounds its own work: expensive reads beyond the limit are refused at once (503 +
// Retry-After), not queued.
import { describe, expect, it } from 'vitest';
import { createFigureReader } from '@pulse/store';
import { testLogger } from '@pulse/testkit';
import { buildApp } from '../src/app.js';
import { figuresFromReader } from '../src/figures.js';
import type { FiguresSource } from '../src/ports.js';
import { createGate } from '../src/work-limits.js';
import { AS_OF, devVerifier, iso, PARTITIONS, sharedRefData, testApp, TOPIC } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('work limits', () => {
  it('createGate should let in at most its size and reopen on release', () => {
    const gate = createGate(2);
    const a = gate.enter();
    const b = gate.enter();
    expect(a && b).toBeTruthy();
    expect(gate.enter()).toBeUndefined();
    a!();
    a!(); // a second release is a no-op
    expect(gate.inUse).toBe(1);
    expect(gate.enter()).toBeDefined();
  });

  it('an expensive series beyond the limit should be a 503 with Retry-After, not queued', async () => {
    const t = await testApp();
    // The real reader, with its 15-minute series reads held until released: the first request is in
    // progress for as long as the test needs.
    const reader = createFigureReader(t.redis, {
      prefix: t.prefix,
      topic: TOPIC,
      partitions: PARTITIONS,
      refdata: sharedRefData(),
    });
    const real = figuresFromReader(reader);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const figures: FiguresSource = {
      ...real,
      counterSeries: async (...args) => {
        if (args[2] === '15m') await held;
        return real.counterSeries(...args);
      },
    };
    const app = await buildApp(
      { corsOrigins: [], publicUrl: undefined, workLimits: { maxExpensive: 1 } },
      {
        refdata: sharedRefData(),
        figures,
        readiness: [],
        logger: testLogger(),
        now: () => AS_OF,
        verify: await devVerifier(),
      },
    );
    const from = Math.floor(AS_OF / HOUR) * HOUR - 10 * 24 * HOUR;
    const url = `/v1/england/series?metric=ed_attendances&interval=15m&from=${iso(from)}&to=${iso(from + 5 * 24 * HOUR)}`;
    const first = app.inject({ url });
    // Let the first request reach the gate.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await app.inject({ url });
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('1');
    expect(second.json()).toMatchObject({ code: 'BUSY', status: 503 });
    // A cheap request is not held up by the gate.
    const cheap = await app.inject({
      url: `/v1/england/series?metric=ed_attendances&interval=1h&from=${iso(from)}&to=${iso(from + 2 * HOUR)}`,
    });
    expect(cheap.statusCode).toBe(200);
    release();
    expect((await first).statusCode).toBe(200);
    const third = await app.inject({ url });
    expect(third.statusCode).toBe(200);
    expect(third.json().points).toHaveLength(480);
    await app.close();
  }, 60_000);
});
