// The dashboard in a real browser against the real pipeline: the simulator CLI publishes today
// for ~25 trusts (NHS Essex ICB D7T5G and every 12th trust) to real Kafka, the aggregator
// applies it to real Redis, feeds-api (main.ts) serves the built page, the API and the push
// feed on one origin, and Debian's Chromium (playwright-core) reads the page.
//
// Checked: every headline tile on screen equals the API's snapshot (same mapping and formatting
// module) for England (public tier), an ICB and a trust (national token), in the children view
// too; drill-down by the league table's links; the league table sorts by keyboard; the public
// tier says so and is live below England too, over the public (disclosure-controlled) stream; a
// figure changes on screen after more events are published, with no reload, on an exact ICB page
// and on a public one kept open in a second tab; after the API is killed and started
// again the page reconnects with Last-Event-ID and carries on; axe-core finds no serious or
// critical violation. Screenshots go to test-results/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { londonDateOf, londonDayBounds } from '@pulse/kpi';
import { loadRefData } from '@pulse/refdata';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addDays } from '../src/app/api.js';
import {
  coverageText,
  formatValue,
  pointValue,
  TILES,
  tileById,
  tileText,
  type AgeView,
  type Snapshot,
  type Split,
} from '../src/app/figures.js';
import {
  applied,
  buildDashboard,
  devToken,
  eventuallyEqual,
  launchChromium,
  publish,
  startApi,
  startPipeline,
} from './browser.js';

const ICB = 'D7T5G';
const TRUST = 'RAJ';
const SHOTS = join(import.meta.dirname, '..', 'test-results');

async function apiSnapshot(base: string, path: string, token: string | null): Promise<Snapshot> {
  const res = await fetch(`${base}${path}/snapshot`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  expect(res.status, `${path}/snapshot`).toBe(200);
  return (await res.json()) as Snapshot;
}

/** Each tile's figure and completeness as shown. */
const onScreen = (page: Page) =>
  page.$$eval('[data-tile]', (elements) =>
    Object.fromEntries(
      elements.map((e) => {
        const id = e.getAttribute('data-tile')!;
        const coverage = document.querySelector(`[data-coverage="${id}"]`)?.textContent;
        return [id, `${e.textContent} | ${coverage}`];
      }),
    ),
  );

/** Every tile on screen equals the API's figure for the same scope, tier and age view. */
async function screenEqualsApi(
  page: Page,
  base: string,
  path: string,
  token: string | null,
  age: AgeView,
): Promise<Record<string, string | null>> {
  return eventuallyEqual(`${path} (${age})`, async () => {
    const expected = tilesOf(await apiSnapshot(base, path, token), age);
    return { actual: await onScreen(page), expected };
  });
}

/** Each tile's figure and completeness as the page should show them for a snapshot. */
const tilesOf = (snapshot: Snapshot, age: AgeView = 'total'): Record<string, string | null> =>
  Object.fromEntries(
    TILES.map((t) => [t.id, `${tileText(t, snapshot, age)} | ${coverageText(t, snapshot)}`]),
  );

/**
 * A gauge tile's curve, shown: its table alternative's "Today" column equals the API's value of
 * the gauge at each 15-minute end of today, through the page's own mapping and formatting.
 */
async function gaugeCurveEqualsApi(
  page: Page,
  base: string,
  path: string,
  token: string | null,
  tileId: string,
  date: string,
): Promise<string[]> {
  const tile = tileById(tileId)!;
  expect(tile.curve.kind).toBe('gauge');
  const metric = tile.curve.kind === 'gauge' ? tile.curve.metric : '';
  await page.locator(`[data-curve="${tileId}"]`).click();
  const query = new URLSearchParams({ metric, interval: '15m', from: date, to: addDays(date, 1) });
  return eventuallyEqual(`${path} ${tileId} curve`, async () => {
    const res = await fetch(`${base}${path}/series?${query}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    expect(res.status, `${path}/series?${query}`).toBe(200);
    const body = (await res.json()) as { points: { value: Split | number | null }[] };
    const expected = body.points.map((p) => formatValue(pointValue(p.value, 'total'), tile.unit));
    const actual = await page.$$eval(
      `[data-curve-table="${tileId}"] tbody tr td:first-of-type`,
      (cells) => cells.map((c) => c.textContent ?? ''),
    );
    return { actual, expected };
  });
}

async function noSeriousViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = result.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
    `${what}: axe serious/critical violations`,
  ).toEqual([]);
}

describe('dashboard in Chromium', () => {
  it('should show the API’s figures live from England to a trust, and resume a dropped stream', async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildDashboard();
    const refdata = loadRefData();
    const now = Date.now();
    const date = londonDateOf(now);
    const { start } = londonDayBounds(date);
    const firstEnd = start + Math.floor((now - 5 * 60_000 - start) * 0.6);
    const trusts = new Set(
      refdata.trustsInScope({ kind: 'icb', code: ICB }, date).map((t) => t.odsCode),
    );
    refdata.trusts(date).forEach((t, i) => i % 12 === 0 && trusts.add(t.odsCode));
    expect(trusts.has(TRUST)).toBe(true);

    const pipeline = await startPipeline('dashboard', ACTIVITY_PARTITIONS);
    const seeded = publish(pipeline, {
      from: start,
      to: firstEnd,
      trusts: [...trusts],
      seed: 'dashboard-1',
      rttScale: '0.005',
    });
    let api = await startApi(pipeline, ACTIVITY_PARTITIONS);
    await seeded;
    await applied(pipeline);
    const national = devToken('--role', 'national');

    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    // Generous waits: the suite shares a 2-core machine with other workspaces' tests.
    context.setDefaultTimeout(180_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const streams: { url: string; lastEventId: string | undefined }[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/stream'))
        streams.push({ url: request.url(), lastEventId: request.headers()['last-event-id'] });
    });

    // England, public tier: exact, live over the public stream.
    await page.goto(`${api.base}/`);
    await page.locator('[data-feed="live"]').waitFor();
    await expect(page.locator('[data-tier="public"]').innerText()).resolves.toContain(
      'Public view',
    );
    const england = await screenEqualsApi(page, api.base, '/v1/england', null, 'total');
    expect(
      Number(england.ed_attendances!.split(' | ')[0]!.replace(/,/g, '')),
      'England has attendances',
    ).toBeGreaterThan(100);
    // G&A occupancy (no age split) drawn from its history: the API's 15-minute values.
    const occupancy = await gaugeCurveEqualsApi(
      page,
      api.base,
      '/v1/england',
      null,
      'ga_occupancy',
      date,
    );
    expect(occupancy.filter((v) => v !== '–').length, 'occupancy sampled today').toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'england.png'), fullPage: false });
    await noSeriousViolations(page, 'England');

    // The league table sorts by keyboard: Tab to a column's button, Enter.
    const sortButton = page.locator('[data-league] [data-sort="name"]');
    await sortButton.focus();
    await page.keyboard.press('Enter');
    const th = page.locator('[data-league] th:has([data-sort="name"])');
    await expect(th.getAttribute('aria-sort')).resolves.toBe('ascending');
    const names = await page.$$eval('[data-league] tbody th', (cells) =>
      cells.map((c) => c.textContent ?? ''),
    );
    expect(names.length).toBeGreaterThan(30);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

    // Public tier below England: disclosure-controlled, live over the public (controlled) stream.
    await page.goto(`${api.base}/#/trusts/${TRUST}`);
    await page.locator('[data-feed="live"]').waitFor();
    await page
      .locator('[data-tier="public"]', { hasText: 'The figures on this page are controlled' })
      .waitFor();
    await screenEqualsApi(page, api.base, `/v1/trusts/${TRUST}`, null, 'total');

    // A second tab (its own sessionStorage: no token) keeps the public ICB page open to the end:
    // its figures must move on screen when more events are published.
    const publicPage = await context.newPage();
    publicPage.on('pageerror', (err) => errors.push(`public tab: ${err.message}`));
    await publicPage.goto(`${api.base}/#/icbs/${ICB}`);
    await publicPage.locator('[data-feed="live"]').waitFor();
    const publicBefore = await screenEqualsApi(
      publicPage,
      api.base,
      `/v1/icbs/${ICB}`,
      null,
      'total',
    );
    await publicPage.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

    // A national token, given in the page's form, kept in sessionStorage.
    await page.goto(`${api.base}/#/`);
    await page.locator('summary', { hasText: 'Use an access token' }).click();
    await page.locator('#token').fill(national);
    await page.locator('button', { hasText: 'Use token' }).click();
    await page.locator('[data-tier="token"]').waitFor();
    await expect(page.evaluate(() => sessionStorage.getItem('ics-pulse-token'))).resolves.toBe(
      national,
    );

    // Drill-down: England → region (the list) → ICB (league link) → trust (league link).
    const icb = refdata.icb(ICB)!;
    const regionCode = refdata.resolveProvider(TRUST, date);
    expect(regionCode.status).toBe('ok');
    if (regionCode.status !== 'ok') return;
    await page.locator(`a[href="#/regions/${regionCode.region.code}"]`).first().click();
    await page.locator(`h1[data-scope="${regionCode.region.code}"]`).waitFor();
    await page.locator(`[data-league] a[href="#/icbs/${ICB}"]`).click();
    await page.locator(`h1[data-scope="${ICB}"]`).waitFor();
    await page.locator('[data-feed="live"]').waitFor();
    await screenEqualsApi(page, api.base, `/v1/icbs/${ICB}`, national, 'total');
    await page.locator(`[data-league] [data-row="${TRUST}"]`).waitFor();
    await page.screenshot({ path: join(SHOTS, 'icb.png'), fullPage: true });
    await noSeriousViolations(page, icb.name);
    await page.locator(`[data-league] a[href="#/trusts/${TRUST}"]`).click();
    await page.locator(`h1[data-scope="${TRUST}"]`).waitFor();
    await page.locator('[data-feed="live"]').waitFor();
    await screenEqualsApi(page, api.base, `/v1/trusts/${TRUST}`, national, 'total');
    // A gauge's curve: patients in A&E at each 15-minute end, as the API's series gives them.
    const inDepartment = await gaugeCurveEqualsApi(
      page,
      api.base,
      `/v1/trusts/${TRUST}`,
      national,
      'ed_in_department',
      date,
    );
    expect(inDepartment.filter((v) => v !== '–').length, 'in department sampled').toBeGreaterThan(
      0,
    );

    // The children view: every tile switches to the child split.
    await page.locator('label[for="age-child"]').click();
    await screenEqualsApi(page, api.base, `/v1/trusts/${TRUST}`, national, 'child');
    const curveTable = page.locator('[data-curve-table]');
    await curveTable.waitFor({ state: 'attached' });
    await noSeriousViolations(page, TRUST);
    await page.locator('label[for="age-total"]').click();

    // Back to the ICB; the stream is dropped (the API killed) and the page resumes on a new one.
    await page.goto(`${api.base}/#/icbs/${ICB}`);
    await page.locator('[data-feed="live"]').waitFor();
    const before = await screenEqualsApi(page, api.base, `/v1/icbs/${ICB}`, national, 'total');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const opened = streams.length;
    api.child.process.kill('SIGKILL');
    await page.locator('[data-feed="reconnecting"]').waitFor();
    api = await startApi(pipeline, ACTIVITY_PARTITIONS, api.port);
    await page.locator('[data-feed="live"]').waitFor({ timeout: 240_000 });
    const resumed = streams.slice(opened).filter((s) => s.url.endsWith(`/icbs/${ICB}/stream`));
    expect(resumed.length, 'reconnect attempts').toBeGreaterThan(0);
    expect(
      resumed.every((s) => typeof s.lastEventId === 'string' && s.lastEventId.length > 0),
      'every reconnect sends Last-Event-ID',
    ).toBe(true);

    // More events: the figures change on screen, with no reload, and equal the API's.
    await publish(pipeline, {
      from: firstEnd,
      to: now - 60_000,
      trusts: [...trusts],
      seed: 'dashboard-2',
      rttScale: '0',
    });
    await applied(pipeline);
    const after = await screenEqualsApi(page, api.base, `/v1/icbs/${ICB}`, national, 'total');
    expect(after, 'the ICB’s figures moved on screen').not.toEqual(before);
    await expect(
      page.evaluate(() => (window as unknown as { marker?: number }).marker),
      'no reload',
    ).resolves.toBe(42);
    await page.screenshot({ path: join(SHOTS, 'icb-after-resume.png'), fullPage: false });
    // The public ICB page, over the controlled stream: the API's public figures move once a tick's
    // tree has the new events, and the screen follows with no reload.
    await eventuallyEqual('the public ICB figures moved in the API', async () => {
      const now = tilesOf(await apiSnapshot(api.base, `/v1/icbs/${ICB}`, null));
      return { actual: isDeepStrictEqual(now, publicBefore), expected: false };
    });
    const publicAfter = await screenEqualsApi(
      publicPage,
      api.base,
      `/v1/icbs/${ICB}`,
      null,
      'total',
    );
    expect(publicAfter, 'the public ICB’s figures moved on screen').not.toEqual(publicBefore);
    await expect(publicPage.locator('[data-feed]').getAttribute('data-feed')).resolves.toBe('live');
    await expect(
      publicPage.evaluate(() => (window as unknown as { marker?: number }).marker),
      'no reload of the public tab',
    ).resolves.toBe(7);
    // The README's picture (docs/img/dashboard.png is a copy): the top of the ICB's page.
    await page.screenshot({
      path: join(SHOTS, 'dashboard.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: 1900 },
    });
    expect(errors, 'page errors').toEqual([]);
  }, 900_000);
});
