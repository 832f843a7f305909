#!/usr/bin/env node
// `npm run demo`: the whole pipeline on one machine, from source.
//
// 1. Kafka and Redis: KAFKA_BROKERS / REDIS_URL when set (nothing started or stopped for them),
//    else started through @pulse/testkit (containers if Docker answers, else local processes).
// 2. The topics (@pulse/topology's PULSE_TOPICS), then the aggregator, the feeds API and the
//    simulator with `--catch-up` (today from London midnight, backfilled at full speed, then real
//    time; `--speed N` replays today at N× until it catches up with the clock), as compose runs it.
// 3. Builds the dashboard (packages/dashboard), which the API serves at `/`.
// 4. Prints the URLs (the dashboard's first) once the API's /readyz answers, then England's
//    figures every 30 s.
// 5. SIGINT (Ctrl-C) or SIGTERM, at any moment: stops the simulator, the aggregator, the API
//    (each waited for), then the infrastructure it started (also while it is still starting:
//    no broker, redis-server or temporary folder is left), and exits 0. Another Ctrl-C while
//    stopping kills the children at once.
//
// Children run in their own process groups, so Ctrl-C reaches only this script, which stops them
// in order. Each run's logs go to .pulse/demo/<start time>/<service>.log (earlier runs' stay).
//
// Options (scripts/demo-options.mjs; a bad one is a one-line error, exit 2): --speed N, --trusts
// A,B (a subset, lighter), --port P, --help. Environment: KAFKA_BROKERS, REDIS_URL,
// ACTIVITY_TOPIC, DLQ_TOPIC, KEY_PREFIX, GROUP_ID, LOG_LEVEL are passed on to the services.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createKafka, ensureTopics } from '@pulse/kafka';
import { londonDateOf } from '@pulse/kpi';
import { createLogger } from '@pulse/logging';
import { provisionInfra } from '@pulse/testkit/infra';
import { DEV_PRIVATE_JWK, signToken } from 'feeds-api';
import { DEMO_USAGE, DemoOptionError, parseDemoOptions } from './demo-options.mjs';
import { requireShippedNode } from './runtime.mjs';
import {
  ACTIVITY_PARTITIONS,
  ACTIVITY_TOPIC_CONFIG,
  ACTIVITY_TOPIC,
  DEFAULT_KEY_PREFIX,
  DLQ_PARTITIONS,
  DLQ_TOPIC,
} from '@pulse/topology';

requireShippedNode('npm run demo');

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** This run's logs: one folder per run, named by its start time, so no run overwrites another's. */
const logDir = join(root, '.pulse', 'demo', new Date().toISOString().replace(/[:.]/g, '-'));
/** How often England's figures are printed. */
const REPORT_EVERY_MS = Number(process.env.PULSE_DEMO_REPORT_MS ?? 30_000);
const say = (message) => process.stdout.write(`[demo] ${message}\n`);

function options() {
  try {
    const parsed = parseDemoOptions(process.argv.slice(2));
    if (parsed.help) {
      process.stdout.write(DEMO_USAGE);
      process.exit(0);
    }
    return parsed;
  } catch (err) {
    if (!(err instanceof DemoOptionError)) throw err;
    process.stderr.write(`demo: ${err.message} (npm run demo -- --help)\n`);
    process.exit(2);
  }
}

/** `preferred` if free on loopback, else any free port. */
function freePort(preferred) {
  const attempt = (port) =>
    new Promise((resolve, reject) => {
      const server = createServer().once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address();
        server.close(() => resolve(bound));
      });
    });
  return attempt(preferred).catch(() => attempt(0));
}

async function createTopics(brokers, topics) {
  const logger = createLogger({ service: 'demo', level: 'warn' });
  const admin = createKafka({ brokers, clientId: 'demo', logger }).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, topics);
  } finally {
    await admin.disconnect();
  }
}

/** A child process from source (tsx), its output in .pulse/demo/<name>.log. */
function start(name, script, args, env) {
  const file = join(logDir, `${name}.log`);
  const log = createWriteStream(file, { flags: 'w' });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@pulse/source', join(root, script), ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      log.end();
      resolve({ code, signal });
    }),
  );
  say(`${name} started (pid ${child.pid}), log ${file}`);
  return { name, child, exited, file };
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs` or `hurry` is aborted. */
async function stopChild({ name, child, exited }, hurry, graceMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const hurried = new Promise((resolve) =>
    hurry.aborted ? resolve() : hurry.addEventListener('abort', () => resolve(), { once: true }),
  );
  const result = await Promise.race([exited, sleep(graceMs).then(() => undefined), hurried]);
  if (!result) {
    say(`${name} did not stop within ${graceMs / 1000} s: killing it`);
    child.kill('SIGKILL');
    await exited;
  }
  say(`${name} stopped (pid ${child.pid})`);
}

async function waitReady(url, children) {
  for (;;) {
    const dead = children.find((c) => c.child.exitCode !== null || c.child.signalCode !== null);
    if (dead) throw new Error(`${dead.name} exited during start-up; see ${dead.file}`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await sleep(500);
  }
}

/** The London date after `date` (YYYY-MM-DD). */
function nextDay(date) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function report(api) {
  const res = await fetch(`${api}/v1/england/snapshot`).catch(() => undefined);
  if (!res?.ok) return;
  const s = await res.json();
  const today = s.today.counters;
  say(
    `England today: ${today.ed_attendances.total} ED attendances, ${today.admissions_emergency.total} emergency admissions; ` +
      `in A&E now ${s.live.gauges.ed_in_department.total}; newest event ${s.freshness.newestEventAt ?? 'none'}`,
  );
}

async function main() {
  const opts = options();
  mkdirSync(logDir, { recursive: true });
  const topic = process.env.ACTIVITY_TOPIC || ACTIVITY_TOPIC;
  const dlqTopic = process.env.DLQ_TOPIC || DLQ_TOPIC;
  const children = [];
  // Aborted on the first signal: a start-up in progress stops what it started.
  const starting = new AbortController();
  // Aborted on a second signal: children still stopping are killed.
  const hurry = new AbortController();
  let provisioning;
  let stopping;
  const stopAll = (why) =>
    (stopping ??= (async () => {
      say(`${why}: stopping`);
      starting.abort();
      // The producer first, so the aggregator can apply what was sent; the API last.
      for (const name of ['simulator', 'aggregator', 'feeds-api']) {
        const child = children.find((c) => c.name === name);
        if (child) await stopChild(child, hurry.signal);
      }
      // Started or still starting, Kafka and Redis are stopped and the temp folder removed.
      const infra = await provisioning?.catch(() => undefined);
      if (infra) await infra.stop();
      say(`stopped; logs in ${logDir}`);
    })());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (!stopping) return void stopAll(signal).then(() => process.exit(0));
      say(`${signal} again: killing what is still running`);
      hurry.abort();
    });
  }

  try {
    say('starting Kafka and Redis (or using KAFKA_BROKERS / REDIS_URL)...');
    provisioning = provisionInfra(process.env, { signal: starting.signal });
    const infra = await provisioning;
    const redacted = infra.redisUrl.replace(/\/\/[^@/]*@/, '//***@');
    say(
      `Kafka ${infra.kafkaBrokers} (${infra.sources.kafka}), Redis ${redacted} (${infra.sources.redis})`,
    );
    if (stopping) return;
    await createTopics(infra.kafkaBrokers, [
      {
        topic,
        numPartitions: ACTIVITY_PARTITIONS,
        configEntries: Object.entries(ACTIVITY_TOPIC_CONFIG).map(([name, value]) => ({
          name,
          value,
        })),
      },
      { topic: dlqTopic, numPartitions: DLQ_PARTITIONS },
    ]);
    const apiPort =
      opts.port === undefined ? await freePort(8080) : opts.port || (await freePort(0));
    const opsPort = await freePort(9464);
    const common = {
      KAFKA_BROKERS: infra.kafkaBrokers,
      REDIS_URL: infra.redisUrl,
      ACTIVITY_TOPIC: topic,
      KEY_PREFIX: process.env.KEY_PREFIX || DEFAULT_KEY_PREFIX,
    };
    if (stopping) return;
    // The dashboard the API serves at `/` (packages/dashboard; under a second to build).
    execFileSync(process.execPath, ['build.mjs'], {
      cwd: join(root, 'packages', 'dashboard'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(
      start('aggregator', 'services/aggregator/src/main.ts', [], {
        ...common,
        DLQ_TOPIC: dlqTopic,
        PORT: String(opsPort),
      }),
      start('feeds-api', 'services/feeds-api/src/main.ts', [], {
        ...common,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        TOPIC_PARTITIONS: String(ACTIVITY_PARTITIONS),
      }),
    );
    const simArgs = ['--catch-up', '--topic', topic];
    if (opts.speed > 1) simArgs.push('--speed', String(opts.speed));
    if (opts.trusts) simArgs.push('--trusts', opts.trusts.join(','));
    children.push(start('simulator', 'services/simulator/src/main.ts', simArgs, common));

    const api = `http://127.0.0.1:${apiPort}`;
    await waitReady(`${api}/readyz`, children);
    const today = londonDateOf(Date.now());
    // The API runs in development mode (no keys configured): the development key signs tokens.
    const national = await signToken(
      { role: 'national', subject: 'demo', ttlSeconds: 24 * 3600 },
      DEV_PRIVATE_JWK,
    );
    const mode =
      opts.speed > 1
        ? `replaying today at ${opts.speed}x until it catches up with the clock, then real time`
        : 'backfilling today so far at full speed, then real time';
    say(`ready (${mode}); Ctrl-C stops everything
  dashboard   ${api}/
  API         ${api}
  docs        ${api}/docs
  OpenAPI     ${api}/openapi.json
  aggregator  http://127.0.0.1:${opsPort}/metrics
  snapshot    curl -s ${api}/v1/england/snapshot
  live feed   curl -N ${api}/v1/england/stream
  series      curl -s '${api}/v1/england/series?metric=ed_attendances&interval=1h&from=${today}&to=${nextDay(today)}'
  national token (development key, 24 h; npm run token -- --help for others):
    TOKEN=${national}
  exact ICB   curl -s -H "Authorization: Bearer $TOKEN" ${api}/v1/icbs/D7T5G/snapshot`);
    while (!stopping) {
      const dead = children.find((c) => c.child.exitCode !== null || c.child.signalCode !== null);
      if (dead) throw new Error(`${dead.name} exited unexpectedly; see ${dead.file}`);
      await report(api);
      await sleep(REPORT_EVERY_MS);
    }
  } catch (err) {
    if (stopping) return;
    say(`error: ${err.message}`);
    await stopAll('error');
    process.exit(1);
  }
}

await main();
