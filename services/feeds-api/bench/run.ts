// Snapshot requests/s and latency of one feeds-api instance, beside a bare Fastify route in the
// same run (the machine's raw HTTP limit), with Redis holding a full simulated week for every
// trust. Writes the "feeds-api" section of docs/BENCHMARKS.md (PULSE_BENCH_DOC overrides the path).
//
//   npm run bench -w feeds-api       (REDIS_URL: use that Redis; else a private redis-server)
//
// The week is written under a unique key prefix and deleted afterwards. The API and the bare
// server each run in their own process from source (tsx), LOG_LEVEL=warn (no request logs);
// autocannon runs here, on loopback only, for PULSE_BENCH_SECONDS (default 10) per target.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import { londonDateOf, londonDayBounds } from '@pulse/kpi';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import { deleteKeysWithPrefix, repoRoot } from '@pulse/testkit';
import { DEV_PRIVATE_JWK, signToken } from '../src/index.js';
import { loadWeek } from './load-week.js';
import { DAY_MS as DAY } from '@pulse/kpi';
import { ACTIVITY_PARTITIONS, ACTIVITY_TOPIC } from '@pulse/topology';

const SECONDS = Number(process.env['PULSE_BENCH_SECONDS'] ?? 10);
const CONNECTIONS = 10;
const PARTITIONS = ACTIVITY_PARTITIONS;
const TOPIC = ACTIVITY_TOPIC;
const RTT_SCALE = 0.002;
const ICB = 'D7T5G';
const TRUST = 'RAJ';
/** The most points a series request may ask for (feeds-api's default maxPoints). */
const SERIES_POINTS = 2_000;
/**
 * Every request carries a national token (DHSC's view: exact figures). Without one the public
 * tier's per-address rate limit answers 429 long before the read path is measured.
 */
const auth: Record<string, string> = {};
/** /metrics answers an operator token only. */
const operatorAuth: Record<string, string> = {};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a script of this repository from source; resolves once `probe` answers 200. */
async function startServer(script: string, env: Record<string, string>, probe: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@pulse/source', join(repoRoot(), script)],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    if (
      await fetch(probe).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await sleep(200);
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A private redis-server (infra/redis), unless REDIS_URL names one. */
async function redisForBench(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env['REDIS_URL']?.trim();
  if (given) return { url: given, stop: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'pulse-bench-redis-'));
  const script = join(repoRoot(), 'infra', 'redis', 'redis.mjs');
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
      child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
    });
  const out = await run(['start', '--dir', dir, '--port', '0']);
  const url = /^REDIS_URL=(.*)$/m.exec(out)?.[1]?.trim();
  if (!url) throw new Error(`no REDIS_URL from redis.mjs: ${out}`);
  return {
    url,
    stop: async () => {
      await run(['stop', '--dir', dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function hammer(url: string): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: auth,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The server's event-loop delay p99 and max (ms) since the last scrape (prom-client resets it). */
async function eventLoopDelay(api: string): Promise<{ p99: number; max: number }> {
  const res = await fetch(`${api}/metrics`, { headers: operatorAuth });
  if (!res.ok) throw new Error(`/metrics: ${res.status}`);
  const text = await res.text();
  const metric = (name: string) =>
    1000 *
    Number(
      new RegExp(`^feeds_api_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1],
    );
  return { p99: metric('p99'), max: metric('max') };
}

/**
 * The heaviest allowed series (England, 15-minute buckets, the most points a request may ask
 * for), requested back to back by `concurrency` clients, beside snapshot load by autocannon; the
 * server's event-loop delay over the run, and /healthz answered meanwhile.
 */
async function seriesBesideSnapshots(api: string, seriesUrl: string, snapshotUrl: string) {
  await eventLoopDelay(api); // resets the server's histogram
  const stop = new AbortController();
  const seriesMs: number[] = [];
  const healthMs: number[] = [];
  const series = Array.from({ length: 2 }, async () => {
    while (!stop.signal.aborted) seriesMs.push(await timeOne(seriesUrl));
  });
  const health = (async () => {
    while (!stop.signal.aborted) {
      healthMs.push(await timeOne(`${api}/healthz`));
      await sleep(20);
    }
  })();
  const load = await hammer(snapshotUrl);
  stop.abort();
  await Promise.all([...series, health]);
  const delay = await eventLoopDelay(api);
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const p = (xs: number[], q: number) =>
    sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  return {
    load,
    delay,
    series: { n: seriesMs.length, p50: p(seriesMs, 0.5), max: Math.max(...seriesMs) },
    health: { p99: p(healthMs, 0.99), max: Math.max(...healthMs) },
  };
}

/** Milliseconds of one request on its own. */
async function timeOne(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers: auth });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const token = await signToken(
    { role: 'national', subject: 'feeds-api-bench', ttlSeconds: 3_600 },
    DEV_PRIVATE_JWK,
  );
  auth['authorization'] = `Bearer ${token}`;
  const operator = await signToken(
    { role: 'operator', subject: 'feeds-api-bench', ttlSeconds: 3_600 },
    DEV_PRIVATE_JWK,
  );
  operatorAuth['authorization'] = `Bearer ${operator}`;
  console.log(`feeds-api benchmark on ${describeMachine(machine)}`);
  const refdata = loadRefData();
  const redisInfra = await redisForBench();
  const logger = createLogger({ service: 'feeds-api-bench', level: 'warn' });
  const redis = createRedis(redisInfra.url, { logger, name: 'feeds-api-bench' });
  await redis.connect();
  const prefix = `pulse-bench-api-${randomBytes(6).toString('hex')}`;
  const children: ChildProcess[] = [];
  try {
    const now = Date.now();
    const from = londonDayBounds(londonDateOf(now - 6 * DAY)).start;
    const loaded = await loadWeek(redis, refdata, {
      prefix,
      topic: TOPIC,
      partitions: PARTITIONS,
      from,
      to: now,
      rttScale: RTT_SCALE,
    });
    const memory = /used_memory:(\d+)/.exec(await redis.info('memory'))?.[1];
    console.log(
      `loaded ${loaded.events.toLocaleString('en-GB')} events for ${loaded.trusts} trusts in ${loaded.seconds.toFixed(0)} s`,
    );

    const barePort = await freePort();
    const bare = `http://127.0.0.1:${barePort}/bare`;
    children.push(
      await startServer(
        'services/feeds-api/bench/bare-server.ts',
        { PORT: String(barePort) },
        bare,
      ),
    );
    const apiEnv = {
      HOST: '127.0.0.1',
      REDIS_URL: redisInfra.url,
      KEY_PREFIX: prefix,
      ACTIVITY_TOPIC: TOPIC,
      TOPIC_PARTITIONS: String(PARTITIONS),
      LOG_LEVEL: 'warn',
      // One token subject makes every request: its budget must not be what is measured.
      RATE_LIMIT_TOKEN: String(10_000_000),
    };
    const apiPort = await freePort();
    const api = `http://127.0.0.1:${apiPort}`;
    children.push(
      await startServer(
        'services/feeds-api/src/main.ts',
        { ...apiEnv, PORT: String(apiPort) },
        `${api}/readyz`,
      ),
    );
    // The same API with the snapshot cache off: every request is a read of the store.
    const uncachedPort = await freePort();
    const uncached = `http://127.0.0.1:${uncachedPort}`;
    children.push(
      await startServer(
        'services/feeds-api/src/main.ts',
        { ...apiEnv, PORT: String(uncachedPort), SNAPSHOT_CACHE_MS: '0' },
        `${uncached}/readyz`,
      ),
    );

    const asOf = encodeURIComponent(new Date().toISOString());
    const targets: [string, string][] = [
      ['bare Fastify route (raw limit)', bare],
      ['England snapshot', `${api}/v1/england/snapshot`],
      [`ICB snapshot (${ICB})`, `${api}/v1/icbs/${ICB}/snapshot`],
      [`trust snapshot (${TRUST})`, `${api}/v1/trusts/${TRUST}/snapshot`],
      ['England snapshot, uncached (SNAPSHOT_CACHE_MS=0)', `${uncached}/v1/england/snapshot`],
      ['England snapshot as of now (asOf given)', `${api}/v1/england/snapshot?asOf=${asOf}`],
    ];
    // The first England snapshot after start-up is the cold one (nothing cached, JIT cold).
    const cold = await timeOne(targets[1]![1]);
    const rows: (string | number)[][] = [];
    for (const [name, url] of targets) {
      const load = await hammer(url);
      if (load.non2xx > 0 || load.errors > 0) {
        throw new Error(`${name}: ${load.non2xx} non-2xx responses, ${load.errors} errors`);
      }
      console.log(`${name}: ${Math.round(load.requestsPerSecond)} req/s, p99 ${load.p99} ms`);
      rows.push([name, load.requestsPerSecond, load.p50, load.p99]);
    }
    const seriesTo = new Date(Math.floor(Date.now() / 900_000) * 900_000);
    const seriesFrom = new Date(seriesTo.getTime() - SERIES_POINTS * 900_000);
    const range = `from=${encodeURIComponent(seriesFrom.toISOString())}&to=${encodeURIComponent(seriesTo.toISOString())}`;
    const seriesUrl = `${api}/v1/england/series?metric=ed_attendances&interval=15m&${range}`;
    const heavy = await seriesBesideSnapshots(api, seriesUrl, targets[1]![1]);
    if (heavy.load.non2xx > 0 || heavy.load.errors > 0) {
      throw new Error(
        `snapshots beside series: ${heavy.load.non2xx} non-2xx, ${heavy.load.errors} errors`,
      );
    }
    console.log(`series beside snapshots: ${JSON.stringify(heavy)}`);
    const heavyTable = markdownTable(
      ['measure (one run)', 'value'],
      [
        ['England snapshots beside it (requests/s)', heavy.load.requestsPerSecond],
        ['England snapshot p99 (ms)', heavy.load.p99],
        [`${SERIES_POINTS}-point series answered`, heavy.series.n],
        ['series duration p50 (ms)', Math.round(heavy.series.p50)],
        ['series duration max (ms)', Math.round(heavy.series.max)],
        ['server event-loop delay p99 (ms)', Number(heavy.delay.p99.toFixed(1))],
        ['server event-loop delay max (ms)', Number(heavy.delay.max.toFixed(1))],
        ['/healthz meanwhile p99 (ms)', Number(heavy.health.p99.toFixed(1))],
        ['/healthz meanwhile max (ms)', Number(heavy.health.max.toFixed(1))],
      ],
    );
    const bareRate = rows[0]![1] as number;
    const table = markdownTable(['target', 'requests/s', 'p50 (ms)', 'p99 (ms)'], rows);
    const ratios = rows
      .slice(1)
      .map((r) => {
        const share = ((r[1] as number) / bareRate) * 100;
        return `${r[0]} ${share.toFixed(share < 10 ? 2 : 0)}%`;
      })
      .join(', ');
    const section = {
      id: 'feeds-api',
      title: 'Feeds API: snapshot requests',
      machine,
      date: new Date(),
      body: `Redis holds a simulated week for every open trust (${loaded.events.toLocaleString('en-GB')} events, ${loaded.trusts} trusts, \`rtt-scale ${RTT_SCALE}\`, London midnight six days ago to now, written through the store's plan + apply on ${PARTITIONS} partitions; Redis used_memory ${memory ? (Number(memory) / 2 ** 20).toFixed(0) : '?'} MiB). One feeds-api process (from source, \`LOG_LEVEL=warn\`, default \`SNAPSHOT_CACHE_MS=1000\`: a scope's "now" snapshot is read at most once a second, concurrent requests share the read; a request with \`asOf\` is never cached and reads the gauges as of that instant, trust by trust), a second one with \`SNAPSHOT_CACHE_MS=0\` (every request reads the store: the uncached row), and a bare Fastify route in its own process, each loaded by autocannon in this process for ${SECONDS} s with ${CONNECTIONS} connections over loopback, no compression asked. Every API request carries a national token (exact figures); \`RATE_LIMIT_TOKEN\` is raised so the limiter counts but never refuses. Redis, the server and autocannon share the 2 cores.

${table}

Share of the raw limit: ${ratios}. The England snapshot's first request after start took ${cold.toFixed(0)} ms.

**The heaviest series beside snapshot traffic.** Two clients request the England
\`ed_attendances\` series at 15 minutes over ${SERIES_POINTS.toLocaleString('en-GB')} points (the most a
request may ask for) back to back, while autocannon loads the England snapshot as above and a
third client asks \`/healthz\` every 20 ms. Event-loop delay is the server's own
(\`feeds_api_nodejs_eventloop_lag_p99_seconds\` and \`_max_\` from \`/metrics\`, prom-client's
\`monitorEventLoopDelay\`, over this run only).

${heavyTable}

Source: \`services/feeds-api/bench/run.ts\`.`,
    };
    const doc = process.env['PULSE_BENCH_DOC'];
    console.log(`written to ${doc ? writeSection(section, doc) : writeSection(section)}`);
  } finally {
    for (const child of children) await stopServer(child);
    await deleteKeysWithPrefix(redis, `${prefix}:`);
    await redis.quit();
    await redisInfra.stop();
  }
}

await main();
