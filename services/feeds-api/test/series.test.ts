import { describe, expect, it } from 'vitest';
import { londonDateOf } from '@pulse/kpi';
import { AS_OF, get, iso, sharedRefData, testApp, TRUST } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const hourStart = Math.floor(AS_OF / HOUR) * HOUR;
const q = (from: number, to: number) =>
  `from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(to))}`;

describe('series', () => {
  it('series should list consecutive buckets with their split, coverage and open flag, null where nobody reported', async () => {
    const t = await testApp();
    await t.apply([
      { at: hourStart - 30 * MIN, counters: [{ figure: 'ed_attendances', group: 'child' }] },
      { at: hourStart + MIN, counters: [{ figure: 'ed_attendances', by: 2 }] },
    ]);
    const refdata = sharedRefData();
    const date = londonDateOf(AS_OF);
    for (const [path, expected] of [
      [`trusts/${TRUST}`, 1],
      ['icbs/QE1', refdata.trustsExpectedToReport({ kind: 'icb', code: 'QE1' }, date, 'ae').length],
      ['england', refdata.trustsExpectedToReport({ kind: 'england' }, date, 'ae').length],
    ] as const) {
      const res = await get(
        t,
        `/v1/${path}/series?metric=ed_attendances&interval=1h&${q(hourStart - 2 * HOUR, hourStart + 2 * HOUR)}`,
      );
      expect(res.statusCode, path).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        metric: 'ed_attendances',
        family: 'ae',
        interval: '1h',
        asOf: iso(AS_OF),
      });
      expect(expected, path).toBeGreaterThan(0);
      const coverage = (reported: number) => ({ reported, expected });
      expect(body.points, path).toEqual([
        {
          start: iso(hourStart - 2 * HOUR),
          end: iso(hourStart - HOUR),
          value: null,
          coverage: coverage(0),
          open: false,
        },
        {
          start: iso(hourStart - HOUR),
          end: iso(hourStart),
          value: { child: 1, adult: 0, unknown: 0, total: 1 },
          coverage: coverage(1),
          open: false,
        },
        {
          start: iso(hourStart),
          end: iso(hourStart + HOUR),
          value: { child: 0, adult: 2, unknown: 0, total: 2 },
          coverage: coverage(1),
          open: true,
        },
        {
          start: iso(hourStart + HOUR),
          end: iso(hourStart + 2 * HOUR),
          value: null,
          coverage: coverage(0),
          open: false,
        },
      ]);
    }
  });

  it('series should count each provider once per bucket and give 0, not null, when a provider reported none', async () => {
    const t = await testApp();
    const other = 'RTX'; // University Hospitals of Morecambe Bay, also in QE1
    await t.apply([
      { at: hourStart - 50 * MIN, counters: [{ figure: 'ed_departures' }] },
      { at: hourStart - 40 * MIN, counters: [{ figure: 'ed_departures' }] },
      { at: hourStart - 30 * MIN, trust: other, counters: [{ figure: 'ed_attendances' }] },
      // Another family: not a report of A&E figures.
      { at: hourStart - 90 * MIN, counters: [{ figure: 'admissions_elective' }] },
    ]);
    const body = (
      await get(
        t,
        `/v1/icbs/QE1/series?metric=ed_attendances&interval=1h&${q(hourStart - 2 * HOUR, hourStart)}`,
      )
    ).json();
    expect(body.points.map((p: { value: unknown }) => p.value)).toEqual([
      null,
      { child: 0, adult: 1, unknown: 0, total: 1 },
    ]);
    expect(body.points[1].coverage.reported).toBe(2);
    const trust = (
      await get(
        t,
        `/v1/trusts/${TRUST}/series?metric=ed_attendances&interval=1h&${q(hourStart - HOUR, hourStart)}`,
      )
    ).json();
    expect(trust.points[0]).toMatchObject({
      value: { child: 0, adult: 0, unknown: 0, total: 0 },
      coverage: { reported: 1, expected: 1 },
    });
    // An ambulance trust is not expected to report A&E figures.
    const ambulance = (
      await get(
        t,
        `/v1/trusts/RX7/series?metric=ed_attendances&interval=1h&${q(hourStart - HOUR, hourStart)}`,
      )
    ).json();
    expect(ambulance.points[0]).toMatchObject({
      value: null,
      coverage: { reported: 0, expected: 0 },
    });
  });

  it('series should answer the deprecated rtt_clock_starts under rtt_clock_starts_recorded', async () => {
    const t = await testApp();
    await t.apply([{ at: hourStart + MIN, counters: [{ figure: 'rtt_clock_starts_recorded' }] }]);
    const range = q(hourStart, hourStart + HOUR);
    const res = await get(t, `/v1/england/series?metric=rtt_clock_starts&interval=1h&${range}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.metric).toBe('rtt_clock_starts_recorded');
    expect(body.points.map((p: { value: { total: number } }) => p.value.total)).toEqual([1]);
    const asOf = encodeURIComponent(iso(hourStart + 2 * MIN));
    const snapshot = (await get(t, `/v1/england/snapshot?asOf=${asOf}`)).json();
    const { counters } = snapshot.today;
    expect(counters.rtt_clock_starts_recorded.total).toBe(1);
    expect(counters.rtt_clock_starts).toEqual(counters.rtt_clock_starts_recorded);
  });

  it('series should take London dates for daily buckets, to exclusive', async () => {
    const t = await testApp();
    await t.apply([{ at: AS_OF, counters: [{ figure: 'ed_departures' }] }]);
    const day = new Date(AS_OF).toISOString().slice(0, 10);
    const next = new Date(AS_OF + 24 * HOUR).toISOString().slice(0, 10);
    const res = await get(
      t,
      `/v1/england/series?metric=ed_departures&interval=1d&from=${day}&to=${next}`,
    );
    const body = res.json();
    expect(body.points).toHaveLength(1);
    expect(body.points[0].value.total).toBe(1);
    expect(body.points[0].open).toBe(true); // the day holding asOf
    // The days in this test are whole London days around a fixed instant.
    expect(
      Date.parse(body.points[0].end) - Date.parse(body.points[0].start),
    ).toBeGreaterThanOrEqual(23 * HOUR);
  });

  it('series should span a 23-hour London day at the March clock change', async () => {
    const t = await testApp();
    const res = await get(
      t,
      '/v1/england/series?metric=ed_attendances&interval=1d&from=2026-03-29&to=2026-03-30',
    );
    expect(res.json().points).toEqual([
      {
        start: '2026-03-29T00:00:00.000Z',
        end: '2026-03-29T23:00:00.000Z',
        value: null,
        coverage: { reported: 0, expected: expect.any(Number) },
        open: false,
      },
    ]);
  });

  it('series should answer precise 400 problems for each bad parameter', async () => {
    const t = await testApp();
    const base = '/v1/england/series';
    const cases: [string, { name: string; detail: string }[], string?][] = [
      [
        `${base}?metric=beds&from=2026-04-01&to=2026-04-02`,
        [{ name: 'metric', detail: expect.stringMatching(/^must be one of ed_attendances, /) }],
      ],
      [
        `${base}?metric=ed_attendances&from=2026-04-01&to=2026-04-02&interval=2h`,
        [{ name: 'interval', detail: 'must be one of 15m, 1h, 1d' }],
      ],
      [`${base}?metric=ed_attendances&to=2026-04-02`, [{ name: 'from', detail: 'is required' }]],
      [
        `${base}?metric=ed_attendances&from=1st April&to=2026-04-32`,
        [
          {
            name: 'from',
            detail: expect.stringMatching(/^must be a date YYYY-MM-DD or an RFC 3339 instant/),
          },
        ],
      ],
      [
        `${base}?metric=ed_attendances&from=2026-04-01&to=2026-04-32`,
        [{ name: 'to', detail: 'is not a calendar date: 2026-04-32' }],
      ],
      [
        `${base}?metric=ed_attendances&from=2026-04-02&to=2026-04-02`,
        [{ name: 'to', detail: 'must be after from (2026-04-01T23:00:00.000Z)' }],
        'INVALID_RANGE',
      ],
      [
        `${base}?metric=ed_attendances&interval=15m&from=2026-04-01&to=2026-05-01`,
        [{ name: 'to', detail: 'gives 2880 15m points, over 2000' }],
        'TOO_MANY_POINTS',
      ],
      [
        `${base}?metric=ed_attendances&interval=1d&from=2000-01-01&to=2026-01-01`,
        [{ name: 'to', detail: 'gives more than 2000 1d points, over 2000' }],
        'TOO_MANY_POINTS',
      ],
    ];
    for (const [url, errors, code = 'INVALID_PARAMETER'] of cases) {
      const res = await get(t, url.replaceAll(' ', '%20'));
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code, url).toBe(code);
      expect(res.json().errors, url).toEqual(
        errors.map((e) => ({ in: 'query', pointer: `/${e.name}`, ...e })),
      );
    }
  });

  it('series should name every bad parameter at once', async () => {
    const t = await testApp();
    const res = await get(t, '/v1/england/series?metric=nope&interval=1w');
    expect(
      res
        .json()
        .errors.map((e: { name: string }) => e.name)
        .sort(),
    ).toEqual(['from', 'interval', 'metric', 'to']);
  });

  it('series should answer 404 for an ICB in force on none of the range', async () => {
    const t = await testApp();
    const res = await get(
      t,
      '/v1/icbs/QMJ/series?metric=ed_attendances&interval=1d&from=2026-05-01&to=2026-05-08',
    );
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'NOT_IN_FORCE',
      detail:
        'The ICB QMJ (NHS North Central London Integrated Care Board) is in force from 2022-07-01 to 2026-03-31, not between 2026-05-01 and 2026-05-07.',
    });
    const overlap = await get(
      t,
      '/v1/icbs/QMJ/series?metric=ed_attendances&interval=1d&from=2026-03-30&to=2026-04-02',
    );
    expect(overlap.statusCode).toBe(200);
    expect(overlap.json().points).toHaveLength(3);
  });

  it('series should list handover time lost in hours, rounded unless exact', async () => {
    const t = await testApp();
    await t.apply([
      { at: hourStart + MIN, counters: [{ figure: 'ambulance_handover_ms_lost', by: 1_000_000 }] },
    ]);
    const url = `/v1/trusts/${TRUST}/series?metric=ambulance_handover_hours_lost&interval=1h&${q(hourStart, hourStart + HOUR)}`;
    const body = (await get(t, url)).json();
    expect(body).toMatchObject({ metric: 'ambulance_handover_hours_lost', unit: 'hours' });
    expect(body.points[0].value.adult).toBe(0.28);
    expect((await get(t, `${url}&exact=true`)).json().points[0].value.adult).toBe(
      1_000_000 / 3_600_000,
    );
    const ms = (await get(t, url.replace('hours_lost', 'ms_lost'))).json();
    expect(ms).toMatchObject({ unit: 'milliseconds' });
    expect(ms.points[0].value.adult).toBe(1_000_000);
  });
});
