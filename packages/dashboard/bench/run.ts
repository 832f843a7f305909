// `npm run bench -w @pulse/dashboard`: how light the dashboard is. Builds it, reports the size of
// its JavaScript and CSS (raw, gzip, brotli: what a browser downloads), then serves it from a
// feeds-api process (main.ts, loopback, REDIS_URL or the local default, an empty key prefix of
// its own) and loads England's page in Debian's Chromium PULSE_BENCH_LOADS times (default 20),
// each in a fresh browser context (nothing cached): time to the first headline tile on screen,
// and the navigation's DOMContentLoaded, beside the same browser loading a bare static page from
// the same process (/assets/images/favicon.svg: the floor of a navigation on this machine).
// Also the first tile's critical path from the page's performance entries: when the page, its
// stylesheet and script, the organisation lists and the first snapshot arrived, and how many
// other reads (the league table's snapshots, the curve's series) had started by then.
// Prints figures and writes the "dashboard" section of docs/BENCHMARKS.md; asserts nothing.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import { freePort, repoRoot, uniqueName, waitForOk } from '@pulse/testkit';
import { chromium } from 'playwright-core';
import { APP_START, FIRST_FIGURES, FIRST_SNAPSHOT } from '../src/app/marks.js';
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

/** One load's critical path, ms from navigation start (performance entries, read in the page). */
interface Path {
  html: number;
  css: number;
  js: number;
  appStart: number;
  organisations: number;
  firstSnapshot: number;
  tile: number;
  domContentLoaded: number;
  /** API reads other than the organisation lists started before the first snapshot arrived. */
  competing: number;
}

const STEPS: [keyof Path, string][] = [
  ['html', 'page (HTML) received'],
  ['css', 'stylesheet received'],
  ['js', 'script received'],
  ['appStart', 'script running'],
  ['organisations', 'organisation lists received'],
  ['firstSnapshot', "stream's first snapshot received"],
  ['tile', 'first headline tile on screen (England)'],
  ['domContentLoaded', 'DOMContentLoaded'],
];

/**
 * Reads one load's Path in the page. A string, not a function: tsx's transform would name the
 * function's inner arrows with a helper (`__name`) the page does not have.
 */
const criticalPathScript = `(() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const pathOf = (r) => new URL(r.name).pathname;
  const end = (test) =>
    Math.max(...resources.filter((r) => test(pathOf(r))).map((r) => r.responseEnd));
  const mark = (name) => performance.getEntriesByName(name)[0].startTime;
  const snapshotAt = mark(${JSON.stringify(FIRST_SNAPSHOT)});
  return {
    html: navigation.responseEnd,
    css: end((p) => p.endsWith('.css')),
    js: end((p) => /^\\/app-.*\\.js$/.test(p)),
    appStart: mark(${JSON.stringify(APP_START)}),
    organisations: end((p) => p.startsWith('/v1/organisations/')),
    firstSnapshot: snapshotAt,
    tile: mark(${JSON.stringify(FIRST_FIGURES)}),
    domContentLoaded: navigation.domContentLoadedEventEnd,
    competing: resources.filter(
      (r) =>
        pathOf(r).startsWith('/v1/') &&
        !pathOf(r).startsWith('/v1/organisations/') &&
        r.startTime < snapshotAt,
    ).length,
  };
})()`;

async function firstRender(): Promise<{
  renders: (string | number)[][];
  path: (string | number)[][];
}> {
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
    const paths: Path[] = [];
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
      paths.push((await page.evaluate(criticalPathScript)) as Path);
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
    const of = (step: keyof Path) => paths.map((p) => p[step]);
    return {
      renders: [
        row('first headline tile on screen (England)', of('tile')),
        row('DOMContentLoaded', of('domContentLoaded')),
        row('raw: a bare static file (an SVG) loaded, fresh context', bare),
      ],
      path: [
        ...STEPS.map(([step, what]) => row(what, of(step))),
        row('other API reads started before the first snapshot (count)', of('competing')),
      ],
    };
  } finally {
    api.kill('SIGTERM');
    await exited;
  }
}

const machine = machineInfo();
console.log(`dashboard benchmark on ${describeMachine(machine)}`);
buildDashboard();
const bundles = sizes();
const { renders, path: criticalPath } = await firstRender();
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
      'from navigation start. The first tile waits for the page, its bundles (sent precompressed)',
      "and the stream's first snapshot; the organisation lists, the league table's snapshots and",
      "the curve's series are read after it.",
      '',
      markdownTable(['measure', 'median ms', 'p95 ms', 'max ms'], renders),
      '',
      "The first tile's critical path in the same loads, from the page's performance entries",
      '(resource timing and the marks of `src/app/marks.ts`), ms from navigation start:',
      '',
      markdownTable(['step', 'median ms', 'p95 ms', 'max ms'], criticalPath),
      '',
      'Source: `packages/dashboard/bench/run.ts`.',
    ].join('\n'),
  },
  join(repoRoot(), 'docs', 'BENCHMARKS.md'),
);
console.log(`written to ${path}`);
