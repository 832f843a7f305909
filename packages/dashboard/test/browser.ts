// Test-only helpers: Debian's Chromium (never a downloaded browser) driven by playwright-core, the
// dashboard built, and the pipeline's processes (aggregator, feeds-api, simulator) from source.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import {
  freePort,
  redisPrefix,
  releaseAfterTest,
  repoRoot,
  runFromSource,
  testInfra,
  testKafka,
  testRedis,
  uniqueGroupId,
  uniqueTopic,
  waitForOk,
  waitForStoredOffsets,
  type Child,
} from '@pulse/testkit';
import { partitionKey } from '@pulse/store';

export const CHROMIUM = process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  releaseAfterTest('close chromium', () => browser.close());
  return browser;
}

/** Builds the page into dist/public (well under a second), as turbo's build does. */
export function buildDashboard(): void {
  execFileSync(process.execPath, ['build.mjs'], {
    cwd: join(repoRoot(), 'packages', 'dashboard'),
    stdio: 'inherit',
  });
}

export interface Pipeline {
  topic: string;
  prefix: string;
  kafkaBrokers: string;
  redisUrl: string;
  aggregator: Child;
}

/** A fresh topic and key prefix, and an aggregator applying the topic to Redis. */
export async function startPipeline(label: string, partitions: number): Promise<Pipeline> {
  const { kafkaBrokers, redisUrl } = testInfra();
  const topic = await uniqueTopic({ partitions, label });
  const prefix = redisPrefix(label).replace(/:$/, '');
  const aggregator = runFromSource('services/aggregator/src/main.ts', [], {
    KAFKA_BROKERS: kafkaBrokers,
    REDIS_URL: redisUrl,
    ACTIVITY_TOPIC: topic,
    DLQ_TOPIC: await uniqueTopic({ partitions: 1, label: `${label}-dlq` }),
    GROUP_ID: uniqueGroupId(label),
    KEY_PREFIX: prefix,
    PORT: '0',
    LOG_LEVEL: 'warn',
  });
  return { topic, prefix, kafkaBrokers, redisUrl, aggregator };
}

/** feeds-api (main.ts, as deployed) on `port`, serving the built page; resolves once ready. */
export async function startApi(
  pipeline: Pipeline,
  partitions: number,
  port?: number,
): Promise<{ child: Child; base: string; port: number }> {
  const bound = port ?? (await freePort());
  const child = runFromSource('services/feeds-api/src/main.ts', [], {
    REDIS_URL: pipeline.redisUrl,
    KEY_PREFIX: pipeline.prefix,
    ACTIVITY_TOPIC: pipeline.topic,
    TOPIC_PARTITIONS: String(partitions),
    PORT: String(bound),
    STREAM_COALESCE_MS: '250',
    STREAM_HEARTBEAT_MS: '2000',
    STREAM_RETRY_MS: '500',
    // Public figures below England move once a tick: ten seconds, not a minute, so a public page
    // shows new events within the test's waits (a tree build costs about a second of CPU).
    PUBLIC_TICK_MS: '10000',
    RATE_LIMIT_PUBLIC: '100000',
    LOG_LEVEL: 'warn',
  });
  const base = `http://127.0.0.1:${bound}`;
  await waitForOk(`${base}/readyz`, 180_000);
  return { child, base, port: bound };
}

/** The simulator CLI publishing `from`–`to` for `trusts` at full speed; resolves when done. */
export async function publish(
  pipeline: Pipeline,
  options: { from: number; to: number; trusts: string[]; seed: string; rttScale: string },
): Promise<void> {
  const sim = runFromSource(
    'services/simulator/src/main.ts',
    [
      ...['--brokers', pipeline.kafkaBrokers, '--topic', pipeline.topic, '--seed', options.seed],
      ...[
        '--from',
        new Date(options.from).toISOString(),
        '--to',
        new Date(options.to).toISOString(),
      ],
      ...['--fast', '--rtt-scale', options.rttScale, '--trusts', options.trusts.join(',')],
    ],
    { LOG_LEVEL: 'warn' },
  );
  const code = await sim.exited;
  if (code !== 0) throw new Error(`simulator exited ${code}: ${sim.output()}`);
}

/** Resolves once the aggregator has applied everything published to the topic so far. */
export async function applied(pipeline: Pipeline): Promise<void> {
  await waitForStoredOffsets({
    kafka: testKafka('dashboard-admin'),
    topic: pipeline.topic,
    redis: await testRedis('dashboard'),
    offsetKey: (partition) => `${partitionKey(pipeline.prefix, pipeline.topic, partition)}:offset`,
    timeoutMs: 240_000,
  });
}

/** A development token from the project's own command (`npm run token`). */
export function devToken(...args: string[]): string {
  return execFileSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@pulse/source', 'scripts/token.mjs', ...args],
    { cwd: repoRoot(), encoding: 'utf8' },
  ).trim();
}

/**
 * Polls until `probe` gives equal `actual` and `expected` (live figures move, so screen and API
 * are compared until they agree); on time-out fails with the last difference.
 */
export async function eventuallyEqual<T>(
  what: string,
  probe: () => Promise<{ actual: T; expected: T }>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { actual, expected } = await probe();
    if (isDeepStrictEqual(actual, expected)) return actual;
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: still different after ${timeoutMs} ms\n  screen: ${JSON.stringify(actual)}\n  api:    ${JSON.stringify(expected)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
