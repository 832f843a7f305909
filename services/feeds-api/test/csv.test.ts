// CSV through content negotiation, and several metrics of several organisations in one request.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { londonDateOf } from '@pulse/kpi';
import { CSV_COLUMNS, toCsv, type CsvRow } from '../src/csv.js';
import { AS_OF, get, iso, REGION, sharedRefData, testApp, TRUST } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const hourStart = Math.floor(AS_OF / HOUR) * HOUR;
const range = (from: number, to: number) =>
  `from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(to))}`;

type Row = Record<(typeof CSV_COLUMNS)[number], string>;
const rowsOf = (text: string): Row[] => parse(text, { columns: true }) as Row[];
const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
interface Point {
  start: string;
  end: string;
  open: boolean;
  value: Record<'child' | 'adult' | 'unknown' | 'total', number | null> | null;
  coverage: { reported: number; expected: number };
}
interface SeriesJson {
  scope: { kind: string; code?: string; name: string };
  metric: string;
  unit: string;
  interval: string;
  disclosure: string;
  points: Point[];
}

/** The CSV rows a JSON series body should give. */
const expectedRows = (body: SeriesJson) =>
  body.points.map((p) => ({
    scope_kind: body.scope.kind,
    scope_code: body.scope.code ?? '',
    scope_name: body.scope.name,
    metric: body.metric,
    unit: body.unit,
    period: body.interval,
    start: p.start,
    end: p.end,
    open: String(p.open),
    child: cell(p.value?.child),
    adult: cell(p.value?.adult),
    unknown: cell(p.value?.unknown),
    total: cell(p.value?.total),
    coverage_reported: String(p.coverage.reported),
    coverage_expected: String(p.coverage.expected),
    disclosure: body.disclosure,
  }));

describe('csv', () => {
  it('series should answer tidy CSV through Accept or format=csv, the figures of the JSON', async () => {
    const t = await testApp();
    await t.apply([
      { at: hourStart - 30 * MIN, counters: [{ figure: 'ed_attendances', group: 'child' }] },
      { at: hourStart + MIN, counters: [{ figure: 'ed_attendances', by: 2 }] },
    ]);
    const url = `/v1/icbs/QE1/series?metric=ed_attendances&interval=1h&${range(hourStart - 2 * HOUR, hourStart + 2 * HOUR)}`;
    const json = await get(t, url);
    const csv = await get(t, url, { accept: 'text/csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="icb_QE1_ed_attendances_1h_\d{8}T\d{4}Z_\d{8}T\d{4}Z\.csv"$/,
    );
    expect(csv.headers.vary).toBe('Accept, Authorization');
    expect(json.headers.vary).toBe('Accept, Authorization');
    expect(csv.headers.etag).not.toBe(json.headers.etag);
    expect(csv.body.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    const rows = rowsOf(csv.body);
    expect(rows).toEqual(expectedRows(json.json()));
    // both a value and a null point: the comparison covers empty cells
    expect(rows.map((r) => r.total)).toEqual(['', '1', '2', '']);
    // the query parameter gives the same, and wins over Accept
    const byQuery = await get(t, `${url}&format=csv`, { accept: 'application/json' });
    expect(byQuery.body).toBe(csv.body);
    expect(byQuery.headers['content-type']).toMatch(/^text\/csv/);
    // a browser's Accept (wildcards, q-values) still gets JSON
    const browser = await get(t, url, { accept: 'text/html,*/*;q=0.8' });
    expect(browser.headers['content-type']).toMatch(/^application\/json/);
  });

  it('snapshots should answer CSV with one row per figure and period, as controlled as the JSON', async () => {
    const t = await testApp();
    await t.apply([
      { at: AS_OF - 20 * MIN, counters: [{ figure: 'ed_attendances', by: 40 }] },
      { at: AS_OF - 10 * MIN, counters: [{ figure: 'ed_attendances', group: 'child', by: 3 }] },
    ]);
    const url = `/v1/trusts/${TRUST}/snapshot`;
    const json = (await get(t, url, { authorization: '' })).json();
    const res = await get(t, `${url}?format=csv`, { authorization: '' });
    expect(res.headers.disclosure).toBe('controlled');
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="trust_${TRUST}_snapshot_\\d{8}T\\d{4}Z\\.csv"$`),
    );
    const rows = rowsOf(res.body);
    const row = (metric: string, period: string) =>
      rows.filter((r) => r.metric === metric && r.period === period);
    expect(rows.every((r) => r.disclosure === 'controlled' && r.scope_code === TRUST)).toBe(true);
    expect(json.completeness).toMatchObject({ families: null, reported: null, expected: null });
    for (const [period, p] of [
      ['today', json.today],
      ['last_hour', json.lastHour],
    ] as const) {
      const [attendances] = row('ed_attendances', period);
      expect(attendances).toMatchObject({
        unit: 'count',
        start: p.from,
        end: p.to,
        child: cell(p.counters.ed_attendances.child),
        adult: cell(p.counters.ed_attendances.adult),
        total: cell(p.counters.ed_attendances.total),
        // Who reported is not shown on the public tier below national level.
        coverage_reported: '',
        coverage_expected: '',
      });
      expect(row('ed_within_4h_pct', period)[0]!.unit).toBe('percent');
      expect(row('ambulance_handover_hours_lost', period)[0]!.unit).toBe('hours');
      // deprecated fields are left out: their replacements are there
      expect(row('ed_within_4h_share', period)).toEqual([]);
      expect(row('ambulance_handover_ms_lost', period)).toEqual([]);
      expect(row('rtt_clock_starts', period)).toEqual([]);
    }
    // 3 children are suppressed in the JSON and so empty in the CSV
    expect(json.today.counters.ed_attendances.child).toBeNull();
    expect(row('ed_attendances', 'today')[0]!.child).toBe('');
    expect(row('ga_beds_open', 'live')[0]).toMatchObject({
      start: json.asOf,
      end: json.asOf,
      total: cell(json.live.beds.ga_beds_open),
      child: '',
    });
    expect(row('ed_in_department', 'live')).toHaveLength(1);
  });

  it('the series list should give several metrics of every ICB of a region in one request', async () => {
    const t = await testApp();
    await t.apply([
      { at: hourStart - 30 * MIN, counters: [{ figure: 'ed_attendances', by: 2 }] },
      { at: hourStart - 20 * MIN, counters: [{ figure: 'ed_departures' }] },
    ]);
    const span = range(hourStart - 3 * HOUR, hourStart + HOUR);
    const icbs = sharedRefData()
      .icbs(londonDateOf(hourStart))
      .filter((icb) => icb.regionCode === REGION)
      .map((icb) => icb.code);
    expect(icbs.length).toBeGreaterThan(1);
    const url = `/v1/series?scopes=regions/${REGION}/icbs,trusts/${TRUST}&metric=ed_attendances,ed_departures&interval=1h&${span}`;
    const res = await get(t, url);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { series: SeriesJson[]; interval: string };
    expect(body.series.map((s) => `${s.scope.code}:${s.metric}`)).toEqual(
      [...icbs, TRUST].flatMap((code) => [`${code}:ed_attendances`, `${code}:ed_departures`]),
    );
    // each series is what the single-organisation route gives
    for (const series of body.series) {
      const kind = series.scope.kind === 'icb' ? 'icbs' : 'trusts';
      const one = await get(
        t,
        `/v1/${kind}/${series.scope.code}/series?metric=${series.metric}&interval=1h&${span}`,
      );
      expect(series).toEqual(one.json());
    }
    // the repeated form and the CSV of the same request
    const repeated = await get(
      t,
      url.replace(
        'metric=ed_attendances,ed_departures',
        'metric=ed_attendances&metric=ed_departures',
      ),
    );
    expect(repeated.json()).toEqual(body);
    const csv = await get(t, url, { accept: 'text/csv' });
    expect(rowsOf(csv.body)).toEqual(body.series.flatMap(expectedRows));
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="series_1h_/);
  });

  it('the series list should state each series its own disclosure level', async () => {
    const t = await testApp();
    await t.apply([{ at: hourStart - 30 * MIN, counters: [{ figure: 'ed_attendances', by: 3 }] }]);
    const url = `/v1/series?scopes=england,trusts/${TRUST}&metric=ed_attendances&${range(hourStart - HOUR, hourStart)}`;
    const res = await get(t, url, { authorization: '' });
    expect(res.headers.disclosure).toBe('controlled');
    const [england, trust] = res.json().series;
    expect(england.disclosure).toBe('exact');
    expect(england.points[0].value.total).toBe(3);
    expect(trust.disclosure).toBe('controlled');
    expect(trust.points[0].value.total).toBeNull();
    const national = await get(t, url);
    expect(national.headers.disclosure).toBe('exact');
    expect(national.json().series[1].points[0].value.total).toBe(3);
  });

  it('the series list should refuse more points than the limit, and scopes it cannot list', async () => {
    const t = await testApp({ maxSeriesPoints: 10 });
    const span = range(hourStart - 4 * HOUR, hourStart);
    const ok = await get(t, `/v1/series?scopes=icbs/QE1,england&metric=ed_attendances&${span}`);
    expect(ok.json().series).toHaveLength(2);
    const over = await get(
      t,
      `/v1/series?scopes=icbs/QE1,england&metric=ed_attendances,ed_departures&${span}`,
    );
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ code: 'TOO_MANY_POINTS' });
    expect(over.json().detail).toContain('16 points');
    const bad = await get(
      t,
      `/v1/series?scopes=trusts/${TRUST}/icbs&metric=ed_attendances&${span}`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ name: 'scopes', in: 'query' })]);
    const malformed = await get(t, `/v1/series?scopes=icbs&metric=ed_attendances&${span}`);
    expect(malformed.statusCode).toBe(400);
    const unknown = await get(t, `/v1/series?scopes=icbs/QZZ&metric=ed_attendances&${span}`);
    expect(unknown.statusCode).toBe(404);
  });

  it('csv should quote fields as RFC 4180 says and never start a cell with a formula', () => {
    const row: CsvRow = Object.fromEntries(CSV_COLUMNS.map((c) => [c, null])) as CsvRow;
    const text = toCsv([
      { ...row, scope_name: 'Smith, Jones "and" Co\nNHS', metric: '=HYPERLINK("x")', total: 4 },
    ]);
    expect(text.endsWith('\r\n')).toBe(true);
    const [parsed] = rowsOf(text);
    expect(parsed!.scope_name).toBe('Smith, Jones "and" Co\nNHS');
    expect(parsed!.metric).toBe(`'=HYPERLINK("x")`);
    expect(parsed!.total).toBe('4');
    expect(parsed!.child).toBe('');
  });
});
