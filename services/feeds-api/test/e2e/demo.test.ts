// `npm run demo` (scripts/demo.mjs) as a user runs it, on the test run's Kafka and Redis with
// this test's own topics, group and key prefix, one trust to keep it light: England's figures
// appear, and SIGINT stops every process it started and exits 0.
import { redisPrefix, testInfra, uniqueGroupId, uniqueTopic } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import { isRunning, runFromSource, waitFor } from './processes.js';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';

describe('demo', () => {
  it('demo should serve growing England figures and stop every child on SIGINT', async () => {
    const { kafkaBrokers, redisUrl } = testInfra();
    const env = {
      KAFKA_BROKERS: kafkaBrokers,
      REDIS_URL: redisUrl,
      ACTIVITY_TOPIC: await uniqueTopic({
        partitions: ACTIVITY_PARTITIONS,
        label: 'demo-activity',
      }),
      DLQ_TOPIC: await uniqueTopic({ partitions: 1, label: 'demo-dlq' }),
      GROUP_ID: uniqueGroupId('demo'),
      KEY_PREFIX: redisPrefix('demo').replace(/:$/, ''),
      LOG_LEVEL: 'warn',
    };
    const demo = runFromSource('scripts/demo.mjs', ['--trusts', 'RXN', '--port', '0'], env);

    const api = await waitFor(
      'the demo to print its API URL',
      async () => /^\s+API\s+(http\S+)$/m.exec(demo.output())?.[1],
      240_000,
    );
    const attendances = await waitFor(
      'a non-zero England ed_attendances today',
      async () => {
        const res = await fetch(`${api}/v1/england/snapshot`);
        const total = ((await res.json()) as SnapshotBody).today.counters.ed_attendances.total;
        return total > 0 ? total : undefined;
      },
      240_000,
    );
    expect(attendances).toBeGreaterThan(0);
    // The dashboard it prints is served by the API, built by the demo.
    const dashboard = /^\s+dashboard\s+(http\S+)$/m.exec(demo.output())?.[1];
    expect(dashboard).toBe(`${api}/`);
    const page = await fetch(dashboard!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ICS Pulse');
    // The national token it prints reads a sub-national scope exactly; without it, never exact.
    const token = /^\s+TOKEN=(\S+)$/m.exec(demo.output())?.[1];
    expect(token).toBeDefined();
    const exact = await fetch(`${api}/v1/trusts/RXN/snapshot`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(exact.status).toBe(200);
    expect(exact.headers.get('disclosure')).toBe('exact');
    const anonymous = await fetch(`${api}/v1/trusts/RXN/snapshot`);
    expect(anonymous.headers.get('disclosure')).not.toBe('exact');

    const pids = [...demo.output().matchAll(/started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(3);
    demo.process.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toMatch(/\[demo\] stopped/);
    expect(pids.filter(isRunning)).toEqual([]);
  }, 600_000);
});

interface SnapshotBody {
  today: { counters: { ed_attendances: { total: number } } };
}
