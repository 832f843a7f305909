// `npm run bench -w @pulse/dashboard`: how light the dashboard is. Builds it, reports the size of
// its JavaScript and CSS (raw, gzip, brotli: what a browser downloads), then serves it from a
// feeds-api process (main.ts, loopback, REDIS_URL or the local default, an empty key prefix of
// its own) and loads England's page in Debian's Chromium PULSE_BENCH_LOADS times (default 20),
// each in a fresh browser context (nothing cached): time to the first headline tile on screen,
// and the navigation's DOMContentLoaded. Prints figures; asserts nothing about time.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { freePort, repoRoot, uniqueName, waitForOk } from '@pulse/testkit';
import { chromium } from 'playwright-core';
import { dashboardDir } from '../src/assets.js';
import { buildDashboard, CHROMIUM, CHROMIUM_ARGS } from '../test/browser.js';

const LOADS = Number(process.env.PULSE_BENCH_LOADS ?? 20);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function sizes(): void {
  for (const file of readdirSync(dashboardDir).filter((f) => /\.(js|css)$/.test(f))) {
    const body = readFileSync(join(dashboardDir, file));
    console.log(
      `${file.padEnd(24)} raw ${kb(body.length).padStart(9)}  gzip ${kb(gzipSync(body, { level: 9 }).length).padStart(8)}  brotli ${kb(brotliCompressSync(body).length).padStart(8)}`,
    );
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function firstRender(): Promise<void> {
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
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/`);
      await page.locator('[data-tile]').first().waitFor();
      const [tile, dcl] = await page.evaluate(() => [
        performance.now(),
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
          .domContentLoadedEventEnd,
      ]);
      tiles.push(tile!);
      loaded.push(dcl!);
      await context.close();
    }
    await browser.close();
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    console.log(
      `first render (England's first tile on screen, cold cache, ${LOADS} loads): ` +
        `median ${ms(quantile(tiles, 0.5))}, p95 ${ms(quantile(tiles, 0.95))}, max ${ms(Math.max(...tiles))}`,
    );
    console.log(
      `DOMContentLoaded: median ${ms(quantile(loaded, 0.5))}, p95 ${ms(quantile(loaded, 0.95))}`,
    );
  } finally {
    api.kill('SIGTERM');
    await exited;
  }
}

buildDashboard();
sizes();
await firstRender();
