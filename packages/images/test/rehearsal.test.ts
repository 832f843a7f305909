// The Dockerfiles' steps without Docker: prune, install, build, production-only install of each
// service, then start its built dist/main.js on those production dependencies alone against the
// test run's real Kafka and Redis. One build serves all three services (the pruned trees differ
// only in which workspaces they hold); each service gets its own prune and production install.
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  redisPrefix,
  testKafka,
  testInfra,
  uniqueGroupId,
  uniqueName,
  uniqueTopic,
} from '@pulse/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { root, SERVICES, type Service } from './dockerfile.js';
import { freePort, run, startService, waitForHttp } from './processes.js';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';

const PRODUCTION_ENV = { NODE_ENV: 'production', TURBO_TELEMETRY_DISABLED: '1' };
const NPM_QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const turbo = join(root, 'node_modules', '.bin', 'turbo');
/** Development tools that must never reach an image. */
const DEV_ONLY = [
  'typescript',
  'tsx',
  'vitest',
  'eslint',
  'testcontainers',
  'turbo',
  '@pulse/testkit',
  '@pulse/verify',
  // The dashboard's tools and browser libraries: bundled at build time, never installed.
  'playwright-core',
  'preact',
];

let work: string;
/** The tree the Dockerfiles' build stage makes: pruned, fully installed, built. */
let built: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pulse-images-'));
  built = join(work, 'build');
  const pruned = join(work, 'pruned-all');
  await run(turbo, ['prune', ...SERVICES, '--docker', `--out-dir=${pruned}`], { cwd: root });
  cpSync(join(pruned, 'json'), built, { recursive: true });
  await run('npm', ['ci', ...NPM_QUIET], { cwd: built });
  cpSync(join(pruned, 'full'), built, { recursive: true });
  const filters = SERVICES.map((service) => `--filter=${service}`);
  await run(
    join(built, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', ...filters, '--output-logs=errors-only'],
    {
      cwd: built,
      env: PRODUCTION_ENV,
    },
  );
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The image's /app for `service`: production install of its own prune, plus what it ships. */
async function assembleImage(service: Service): Promise<string> {
  const pruned = join(work, `pruned-${service}`);
  const app = join(work, `image-${service}`);
  const script = join(root, 'packages', 'images', 'src', 'prod-workspaces.mjs');
  await run(turbo, ['prune', service, '--docker', `--out-dir=${pruned}`], { cwd: root });
  cpSync(join(pruned, 'json'), app, { recursive: true });
  await run(process.execPath, [script, 'trim', service], { cwd: app });
  await run('npm', ['ci', '--omit=dev', ...NPM_QUIET], { cwd: app });
  await run(process.execPath, [script, 'collect', service, app], { cwd: built });
  return app;
}

function expectNoDevTools(app: string): void {
  for (const name of DEV_ONLY)
    expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
}

describe('service images rehearsed without Docker', () => {
  it('feeds-api should serve /healthz, /readyz and the dashboard from dist on production dependencies alone', async () => {
    const app = await assembleImage('feeds-api');
    expectNoDevTools(app);
    const port = await freePort();
    // Production mode refuses to start without the keys that sign tokens: a JWKS of a fresh key.
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwksFile = join(app, 'jwks.json');
    writeFileSync(
      jwksFile,
      JSON.stringify({
        keys: [{ ...publicKey.export({ format: 'jwk' }), alg: 'ES256', kid: 'k1' }],
      }),
    );
    const service = startService(app, 'feeds-api', {
      ...PRODUCTION_ENV,
      AUTH_JWKS_FILE: jwksFile,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: testInfra().redisUrl,
      KEY_PREFIX: redisPrefix('images').replace(/:$/, ''),
    });
    onTestFinished(async () => void (await service.stop()));
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, service);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, service);
    const trusts = await fetch(`http://127.0.0.1:${port}/v1/organisations/trusts`);
    expect(trusts.status).toBe(200);
    // The dashboard, built by the build stage and shipped by collect, served at /.
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ICS Pulse');
    expect(await service.stop()).toBe(0);
  });

  it('aggregator should join its group and be ready from dist on production dependencies alone', async () => {
    const app = await assembleImage('aggregator');
    expectNoDevTools(app);
    const port = await freePort();
    const dlqTopic = uniqueName('images-dlq');
    onTestFinished(async () => {
      const admin = testKafka('images-cleanup').admin();
      await admin.connect();
      try {
        if ((await admin.listTopics()).includes(dlqTopic))
          await admin.deleteTopics({ topics: [dlqTopic] });
      } finally {
        await admin.disconnect();
      }
    });
    const service = startService(app, 'aggregator', {
      ...PRODUCTION_ENV,
      PORT: String(port),
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      REDIS_URL: testInfra().redisUrl,
      ACTIVITY_TOPIC: await uniqueTopic({
        label: 'images-activity',
        partitions: ACTIVITY_PARTITIONS,
      }),
      DLQ_TOPIC: dlqTopic,
      GROUP_ID: uniqueGroupId('images-aggregator'),
      KEY_PREFIX: redisPrefix('images').replace(/:$/, ''),
    });
    onTestFinished(async () => void (await service.stop()));
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, service);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, service, 180_000);
    expect(await service.stop()).toBe(0);
  });

  it('simulator should publish in service mode from dist on production dependencies alone', async () => {
    const app = await assembleImage('simulator');
    expectNoDevTools(app);
    const topic = await uniqueTopic({ label: 'images-sim', partitions: ACTIVITY_PARTITIONS });
    // The container's command with no --to: real time until SIGTERM; sped up so a few seconds
    // carry events.
    const service = startService(
      app,
      'simulator',
      { ...PRODUCTION_ENV, KAFKA_BROKERS: testInfra().kafkaBrokers },
      ['--topic', topic, '--trusts', 'RGT', '--speed', '3600'],
    );
    onTestFinished(async () => void (await service.stop()));
    await service.waitForOutput(/"msg":"simulating"/, 180_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await service.stop()).toBe(0);
    const admin = testKafka('images-check').admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      const sent = offsets.reduce((sum, p) => sum + Number(p.high), 0);
      expect(sent).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
  });
});
