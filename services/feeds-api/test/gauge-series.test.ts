// Gauge history through the series routes: a gauge's value at each bucket's end, sampled as each
// trust's own events pass it (docs/aggregation.md, "Gauge history"), with coverage and open.
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { bedsReferenceOf, londonDateOf, londonDayBounds } from '@pulse/kpi';
import { AS_OF, get, ICB, iso, sharedRefData, testApp, TRUST } from './helpers.js';

const MIN = 60_000;
const Q = 15 * MIN;
const quarter = Math.floor(AS_OF / Q) * Q;
const q = (from: number, to: number) =>
  `from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(to))}`;
const arrive = (at: number, id: string) => ({
  at,
  state: [{ op: 'open' as const, set: 'ed' as const, id, group: 'adult' as const, score: at }],
});

describe('gauge series', () => {
  it('should list a gauge at each 15-minute end its trusts passed, null before and in the future', async () => {
    const t = await testApp();
    await t.apply([arrive(quarter - 50 * MIN, 'a'), arrive(quarter - 40 * MIN, 'b')]);
    await t.apply([arrive(quarter - 10 * MIN, 'c')]);
    const date = londonDateOf(AS_OF);
    const trusts = sharedRefData().trustsInScope({ kind: 'england' }, date).length;
    const res = await get(
      t,
      `/v1/england/series?metric=ed_in_department&interval=15m&${q(quarter - 60 * MIN, quarter + 30 * MIN)}`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ metric: 'ed_in_department', family: 'ae', unit: 'count' });
    const adult = (n: number) => ({ child: 0, adult: n, unknown: 0, total: n });
    // a starts the trust at -50 (sampled from the end after: -45); b (-40) passes -45, c (-10)
    // passes -30 and -15; the end 0 is not passed yet; the next holds AS_OF; the last is future.
    expect(body.points.map((p: { value: unknown }) => p.value)).toEqual([
      adult(1),
      adult(2),
      adult(2),
      null,
      null,
      null,
    ]);
    expect(body.points[0].coverage).toEqual({ reported: 1, expected: trusts });
    expect(body.points.map((p: { open: boolean }) => p.open)).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
  });

  it('should serve gauge and counter metrics in one request, and as CSV', async () => {
    const t = await testApp();
    await t.apply([arrive(quarter - 50 * MIN, 'a')]);
    await t.apply([arrive(quarter - 5 * MIN, 'b')]);
    const url = `/v1/series?scopes=england,trusts/${TRUST}&metric=ed_in_department,ed_attendances&interval=1h&${q(quarter - 60 * MIN, quarter)}`;
    const res = await get(t, url);
    expect(res.statusCode).toBe(200);
    expect(res.json().series).toHaveLength(4);
    const csv = await get(t, `${url}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('ed_in_department');
  });

  it('should put a public gauge series below national level under disclosure control, England exact', async () => {
    const t = await testApp();
    await t.apply([arrive(quarter - 50 * MIN, 'a'), arrive(quarter - 40 * MIN, 'b')]);
    await t.apply([arrive(quarter - 10 * MIN, 'c')]);
    const range = `metric=ed_in_department&interval=15m&${q(quarter - 60 * MIN, quarter)}`;
    const trust = await get(t, `/v1/trusts/${TRUST}/series?${range}`, { authorization: '' });
    expect(trust.statusCode).toBe(200);
    expect(trust.json().disclosure).toBe('controlled');
    // Counts of 1 and 2 are small: suppressed, never shown as they are.
    for (const point of trust.json().points) expect(point.value?.total ?? null).not.toBe(2);
    const england = await get(t, `/v1/england/series?${range}`, { authorization: '' });
    expect(england.json().disclosure).toBe('exact');
    expect(england.json().points[1].value.total).toBe(2);
  });
});

/** A G&A bed state of one of TRUST's sites. */
const beds = (at: number, site: string, open: number, occupied: number) => ({
  at,
  state: [{ op: 'beds' as const, siteOds: site, bedType: 'GENERAL_ACUTE', at, open, occupied }],
});
const occupancy = (open: number, occupied: number) => Math.round((occupied / open) * 1000) / 10;
const values = (body: { points: { value: unknown }[] }) => body.points.map((p) => p.value);

describe('G&A beds series (no age split)', () => {
  it('should list beds open, occupied and occupancy at each 15-minute end as one number', async () => {
    const t = await testApp();
    const site1 = { open: 403, first: 301, later: 380 };
    const site2 = { open: 97, occupied: 90 };
    await t.apply([beds(quarter - 50 * MIN, 'RXN01', site1.open, site1.first)]);
    await t.apply([beds(quarter - 40 * MIN, 'RXN02', site2.open, site2.occupied)]);
    await t.apply([beds(quarter - 10 * MIN, 'RXN01', site1.open, site1.later)]);
    const range = `interval=15m&${q(quarter - 60 * MIN, quarter + 30 * MIN)}`;
    // Sampled at -45 (after the first state), -30 and -15 (after the second); 0 is not passed.
    const open = [site1.open, site1.open + site2.open, site1.open + site2.open];
    const occupied = [site1.first, site1.first + site2.occupied, site1.first + site2.occupied];
    const unknown = [null, null, null];
    for (const scope of ['england', `icbs/${ICB}`, `trusts/${TRUST}`]) {
      const read = async (metric: string) => {
        const res = await get(t, `/v1/${scope}/series?metric=${metric}&${range}`);
        expect(res.statusCode).toBe(200);
        return res.json();
      };
      const bedsOpen = await read('ga_beds_open');
      expect(bedsOpen).toMatchObject({ unit: 'count', family: 'beds', disclosure: 'exact' });
      expect(values(bedsOpen)).toEqual([...open, ...unknown]);
      expect(values(await read('ga_beds_occupied'))).toEqual([...occupied, ...unknown]);
      const pct = await read('ga_occupancy_pct');
      expect(pct.unit).toBe('percent');
      // occupied / open of the trusts' summed beds, not an average of percentages
      expect(values(pct)).toEqual([...open.map((o, i) => occupancy(o, occupied[i]!)), ...unknown]);
      expect(pct.points[0].coverage).toMatchObject({ reported: 1 });
    }
    const csv = await get(t, `/v1/trusts/${TRUST}/series?metric=ga_beds_open&${range}&format=csv`);
    const [row] = parse(csv.body, { columns: true }) as Record<string, string>[];
    // child, adult, unknown empty; total the figure
    expect(row).toMatchObject({ child: '', adult: '', unknown: '', total: String(open[0]) });
  });

  it("should give the daily beds figures at 08:00 London, other gauges at the day's end", async () => {
    const t = await testApp();
    const date = londonDateOf(AS_OF);
    const eight = bedsReferenceOf(date);
    const before = { open: 212, occupied: 150 };
    const at8 = { open: 212, occupied: 199 };
    await t.apply([beds(eight - 50 * MIN, 'RXN01', before.open, before.occupied)]);
    await t.apply([beds(eight - 5 * MIN, 'RXN01', at8.open, at8.occupied)]);
    // passes 08:00: the day's beds figures are the state before this event
    await t.apply([beds(eight + 10 * MIN, 'RXN01', 300, 10)]);
    await t.apply([beds(AS_OF - 20 * MIN, 'RXN01', 305, 12), arrive(AS_OF - 20 * MIN, 'x')]);
    const to = encodeURIComponent(iso(londonDayBounds(date).end));
    const day = (metric: string) =>
      get(t, `/v1/trusts/${TRUST}/series?metric=${metric}&interval=1d&from=${date}&to=${to}`);
    const open = (await day('ga_beds_open')).json();
    expect(open.points).toHaveLength(1);
    expect(open.points[0]).toMatchObject({
      value: at8.open,
      open: true,
      coverage: { reported: 1 },
    });
    expect(values((await day('ga_beds_occupied')).json())).toEqual([at8.occupied]);
    const pct = (await day('ga_occupancy_pct&exact=true')).json();
    expect(values(pct)).toEqual([(at8.occupied / at8.open) * 100]);
    // an age-split gauge's daily point is at the day's end, not passed yet: unknown
    expect(values((await day('ed_in_department')).json())).toEqual([null]);
  });

  it("should control a public beds series below national level with the snapshot's rules", async () => {
    const t = await testApp();
    await t.apply([beds(quarter - 50 * MIN, 'RXN01', 403, 301)]);
    await t.apply([beds(quarter - 40 * MIN, 'RXN01', 403, 3)]);
    await t.apply([beds(quarter - 10 * MIN, 'RXN01', 403, 3)]);
    const range = `interval=15m&${q(quarter - 60 * MIN, quarter)}`;
    const read = async (scope: string, metric: string) => {
      const res = await get(t, `/v1/${scope}/series?metric=${metric}&${range}`, {
        authorization: '',
      });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const occupied = await read(`trusts/${TRUST}`, 'ga_beds_occupied');
    expect(occupied.disclosure).toBe('controlled');
    // 3 occupied is a small count: never shown, wherever it is
    for (const v of values(occupied)) expect(v).not.toBe(3);
    for (const v of values(occupied)) if (v !== null) expect(Number(v) % 5).toBe(0);
    const pct = await read(`trusts/${TRUST}`, 'ga_occupancy_pct');
    const open = await read(`trusts/${TRUST}`, 'ga_beds_open');
    // occupancy from the published counts; null where either is not published, and then
    // listed as derived wherever a count was suppressed
    pct.points.forEach((p: { value: number | null }, i: number) => {
      const [o, c] = [open.points[i].value, occupied.points[i].value];
      expect(p.value).toBe(o === null || c === null ? null : occupancy(o, c));
    });
    for (const s of occupied.suppressed)
      expect(pct.suppressed).toContainEqual({ path: s.path, reason: 'derived' });
    expect(occupied.suppressed.length).toBeGreaterThan(0);
    const england = await read('england', 'ga_beds_occupied');
    expect(england.disclosure).toBe('exact');
    expect(values(england).slice(0, 2)).toEqual([301, 3]);
  });
});
