// Gauge history through the series routes: a gauge's value at each bucket's end, sampled as each
// trust's own events pass it (docs/aggregation.md, "Gauge history"), with coverage and open.
import { describe, expect, it } from 'vitest';
import { londonDateOf } from '@pulse/kpi';
import { AS_OF, get, iso, sharedRefData, testApp, TRUST } from './helpers.js';

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
