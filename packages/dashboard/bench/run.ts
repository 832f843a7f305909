// `npm run bench -w @pulse/dashboard`: how light the dashboard is. Builds it, reports the size of
// its JavaScript and CSS (raw, gzip, brotli: what a browser downloads), then serves it from a
// feeds-api process (main.ts, loopback, REDIS_URL or the local default, an empty key prefix of
// its own) and loads England's page in Debian's Chromium PULSE_BENCH_LOADS times (default 20),
// each in a fresh browser context (nothing cached): time to the first headline tile on screen,
// and the navigation's DOMContentLoaded, beside the same browser loading a bare static page from
// the same process (/assets/images/favicon.svg: the floor of a navigation on this machine).
// Prints figures and writes the "dashboard" section of docs/BENCHMARKS.md; asserts nothing.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import { freePort, repoRoot, uniqueName, waitForOk } from '@pulse/testkit';
import { chromium } from 'playwright-core';
import { FIRST_FIGURES } from '../src/app/marks.js';
import { dashboardDir } from '../src/assets.js';
import { buildDashboard, CHROMIUM, CHROMIUM_ARGS } from '../test/browser.js';

const LOADS = Number(process.env.PULSE_BENCH_LOADS ?? 20);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Each bundle's size: raw, gzip -9 and brotli (feeds-api sends br or gzip). */
function sizes(): (string | number)[][] {
  return readdirSync(dashboardDir)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((file) => {
      const body = readFileSync(join(dashboardDir, file));
      const row = [
        file.endsWith('.js') ? 'JavaScript' : 'CSS',
        kb(body.length),
        kb(gzipSync(body, { level: 9 }).length),
        kb(brotliCompressSync(body).length),
      ];
      console.log(row.join('  '));
      return row;
    });
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function firstRender(): Promise<(string | number)[][]> {
  const port = await freePort();
  const api = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@pulse/source', 'services/feeds-api/src/main.ts'],
    {
      cwd: repoRoot(),
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        KEY_PREFIX: uniqueName('dashboard-bench'),
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
    },
  );
  const exited = new Promise((resolve) => api.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${base}/readyz`, 120_000);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const tiles: number[] = [];
    const loaded: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const floor = await browser.newContext();
      const file = await floor.newPage();
      await file.goto(`${base}/assets/images/favicon.svg`);
      bare.push(
        await file.evaluate(
          () =>
            (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
              .loadEventEnd,
        ),
      );
      await floor.close();
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/`);
      await page.locator('[data-tile]').first().waitFor();
      const [tile, dcl] = await page.evaluate((mark) => {
        const navigation = performance.getEntriesByType(
          'navigation',
        )[0] as PerformanceNavigationTiming;
        return [
          performance.getEntriesByName(mark)[0]!.startTime,
          navigation.domContentLoadedEventEnd,
        ];
      }, FIRST_FIGURES);
      tiles.push(tile!);
      loaded.push(dcl!);
      await context.close();
    }
    await browser.close();
    const row = (what: string, values: number[]) => {
      const r = [quantile(values, 0.5), quantile(values, 0.95), Math.max(...values)].map(
        Math.round,
      );
      console.log(`${what}: median ${r[0]} ms, p95 ${r[1]} ms, max ${r[2]} ms`);
      return [what, ...r];
    };
    return [
      row('first headline tile on screen (England)', tiles),
      row('DOMContentLoaded', loaded),
      row('raw: a bare static file (an SVG) loaded, fresh context', bare),
    ];
  } finally {
    api.kill('SIGTERM');
    await exited;
  }
}

const machine = machineInfo();
console.log(`dashboard benchmark on ${describeMachine(machine)}`);
buildDashboard();
const bundles = sizes();
const renders = await firstRender();
const path = writeSection(
  {
    id: 'dashboard',
    title: 'Dashboard: size and first render',
    machine,
    date: new Date(),
    body: [
      'The built page (`packages/dashboard`, esbuild, minified): what a browser downloads.',
      '',
      markdownTable(['bundle', 'raw', 'gzip -9', 'brotli'], bundles),
      '',
      `England's page from one feeds-api process on loopback (an empty key prefix: every figure`,
      `0), Debian's Chromium headless, ${LOADS} loads each in a fresh context (cold cache); ms`,
      'from navigation start. The first tile waits for the page, its bundles, the organisation',
      "lists and the stream's first snapshot (England's live gauges read over every trust).",
      '',
      markdownTable(['measure', 'median ms', 'p95 ms', 'max ms'], renders),
      '',
      'Source: `packages/dashboard/bench/run.ts`.',
    ].join('\n'),
  },
  join(repoRoot(), 'docs', 'BENCHMARKS.md'),
);
console.log(`written to ${path}`);
