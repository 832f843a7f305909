import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AS_OF, get, iso, testApp, TRUST, type TestApp } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const asOf = `asOf=${encodeURIComponent(iso(AS_OF))}`;

/** A small morning at RXN: arrivals, departures (one over 4 h), a handover, open attendances, beds. */
async function morning(t: TestApp) {
  await t.apply([
    // Two hours before AS_OF: in today, not in the last hour.
    { at: AS_OF - 2 * HOUR, counters: [{ figure: 'ed_attendances', group: 'child' }] },
    {
      at: AS_OF - 20 * MIN,
      counters: [
        { figure: 'ed_attendances' },
        { figure: 'ed_departures' },
        { figure: 'ed_departures_within_4h' },
        { figure: 'ambulance_handovers' },
        { figure: 'ambulance_handover_ms_lost', by: 30 * MIN },
      ],
      state: [
        { op: 'open', set: 'ed', id: 'a1', score: AS_OF - 13 * HOUR, group: 'adult' },
        { op: 'open', set: 'ed', id: 'a2', score: AS_OF - 20 * MIN, group: 'child' },
        {
          op: 'beds',
          siteOds: 'RXN01',
          bedType: 'GENERAL_ACUTE',
          at: AS_OF - 20 * MIN,
          open: 400,
          occupied: 380,
        },
      ],
    },
    { at: AS_OF - 25 * MIN, counters: [{ figure: 'ed_departures' }] },
  ]);
}

describe('snapshots', () => {
  it('snapshots should give live gauges, today, the last hour, rates, freshness and completeness', async () => {
    const t = await testApp();
    await morning(t);
    const res = await get(t, `/v1/trusts/${TRUST}/snapshot?${asOf}`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.scope).toEqual({
      kind: 'trust',
      code: 'RXN',
      name: 'LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST',
    });
    expect(s.asOf).toBe(iso(AS_OF));
    expect(s.live.gauges.ed_in_department).toEqual({ child: 1, adult: 1, unknown: 0, total: 2 });
    expect(s.live.gauges.ed_in_department_over_12h).toEqual({
      child: 0,
      adult: 1,
      unknown: 0,
      total: 1,
    });
    expect(s.live.beds).toEqual({ ga_beds_open: 400, ga_beds_occupied: 380 });
    expect(s.live.ga_occupancy_pct).toBe(95);
    expect(s.today.counters.ed_attendances).toEqual({ child: 1, adult: 1, unknown: 0, total: 2 });
    expect(s.lastHour.counters.ed_attendances).toEqual({
      child: 0,
      adult: 1,
      unknown: 0,
      total: 1,
    });
    expect(s.today.rates.ed_within_4h_share).toEqual({
      child: null,
      adult: 0.5,
      unknown: null,
      total: 0.5,
    });
    expect(s.today.rates.ambulance_handover_hours_lost.total).toBe(0.5);
    // One set of units: shares as per cent 0-100 (the 0-1 share is deprecated).
    expect(s.today.rates.ed_within_4h_pct).toEqual({
      child: null,
      adult: 50,
      unknown: null,
      total: 50,
    });
    // The rolling hour: the four complete quarters before asOf (09:37:30 -> 08:30 to 09:30).
    expect(s.lastHour.from).toBe(iso(Math.floor(AS_OF / (15 * MIN)) * 15 * MIN - HOUR));
    expect(Date.parse(s.lastHour.to) - Date.parse(s.lastHour.from)).toBe(HOUR);
    expect(s.freshness).toEqual({ newestEventAt: iso(AS_OF - 20 * MIN), ageSeconds: 1200 });
    expect(s.completeness).toMatchObject({ reported: 1, expected: 1 });
    // The window starts with lastHour's; per family, only families the trust sent since then.
    expect(s.completeness.from).toBe(s.lastHour.from);
    expect(s.completeness.to).toBe(iso(AS_OF));
    expect(s.completeness.families).toEqual({
      ae: { reported: 1, expected: 1 },
      'ambulance-handovers': { reported: 0, expected: 1 },
      inpatient: { reported: 0, expected: 1 },
      beds: { reported: 0, expected: 1 },
      rtt: { reported: 0, expected: 1 },
    });
  });

  it('snapshots should sum a trust into its ICB, region and England', async () => {
    const t = await testApp();
    await morning(t);
    for (const path of ['icbs/QE1', 'regions/Y62', 'england']) {
      const s = (await get(t, `/v1/${path}/snapshot?${asOf}`)).json();
      expect(s.today.counters.ed_attendances.total, path).toBe(2);
      expect(s.live.gauges.ed_in_department.total, path).toBe(2);
      expect(s.completeness.reported, path).toBe(1);
      expect(s.completeness.expected, path).toBeGreaterThan(1);
      // Per family, the denominator is the providers expected to report it, fewer than all.
      expect(s.completeness.families.ae.reported, path).toBe(1);
      expect(s.completeness.families.ae.expected, path).toBeGreaterThan(1);
      expect(s.completeness.families.ae.expected, path).toBeLessThan(s.completeness.expected);
    }
  });

  it('snapshots should answer zeros and null freshness where nothing was reported', async () => {
    const t = await testApp();
    const s = (await get(t, `/v1/icbs/QE1/snapshot?${asOf}`)).json();
    expect(s.today.counters.ed_attendances.total).toBe(0);
    expect(s.freshness).toEqual({ newestEventAt: null, ageSeconds: null });
    expect(s.completeness.reported).toBe(0);
    expect(s.live.ga_occupancy_pct).toBeNull();
  });

  it('snapshots should answer 404 problems for unknown codes and codes not in force', async () => {
    const t = await testApp();
    const unknown = await get(t, '/v1/trusts/ZZZ9/snapshot');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      code: 'UNKNOWN_ORGANISATION',
      detail: 'There is no trust with code ZZZ9.',
    });
    const gone = await get(t, '/v1/icbs/QMJ/snapshot?asOf=2026-04-01T12:00:00Z');
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({
      code: 'NOT_IN_FORCE',
      detail:
        'The ICB QMJ (NHS North Central London Integrated Care Board) is in force from 2022-07-01 to 2026-03-31, not on 2026-04-01.',
    });
    const before = await get(t, '/v1/icbs/QMJ/snapshot?asOf=2026-03-31T12:00:00%2B01:00');
    expect(before.statusCode).toBe(200);
  });

  it('snapshots should answer precise 400 problems for a bad code shape or asOf', async () => {
    const t = await testApp();
    const code = await get(t, '/v1/trusts/rxn/snapshot');
    expect(code.statusCode).toBe(400);
    expect(code.json().errors).toEqual([
      {
        in: 'path',
        name: 'code',
        pointer: '/code',
        detail: 'must be an ODS code: 3 to 5 upper-case letters and digits',
      },
    ]);
    const when = await get(t, '/v1/england/snapshot?asOf=yesterday');
    expect(when.statusCode).toBe(400);
    expect(when.json().errors[0]).toMatchObject({ in: 'query', name: 'asOf' });
    const local = await get(t, '/v1/england/snapshot?asOf=2026-04-01T12:00:00');
    expect(local.statusCode).toBe(400);
  });

  it('snapshots should answer 304 to a matching If-None-Match until the figures change', async () => {
    const t = await testApp();
    await morning(t);
    const url = `/v1/trusts/${TRUST}/snapshot?${asOf}`;
    const first = await get(t, url);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    const again = await get(t, url, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await t.apply([{ at: AS_OF - 5 * MIN, counters: [{ figure: 'ed_attendances' }] }]);
    const changed = await get(t, url, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('snapshots should be compressed when the client accepts gzip', async () => {
    const t = await testApp();
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/england/snapshot',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.rawPayload).toString()).scope.kind).toBe('england');
  });
});

describe('cors', () => {
  it('cors should allow only the configured origins', async () => {
    const t = await testApp({ corsOrigins: ['https://dash.example.nhs.uk'] });
    const allowed = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://dash.example.nhs.uk' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://dash.example.nhs.uk');
    const other = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('cors should send no CORS headers when no origins are configured', async () => {
    const t = await testApp();
    const res = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://dash.example.nhs.uk' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('snapshots should round derived figures and give them exact on request', async () => {
    const t = await testApp();
    await t.apply([
      { at: AS_OF - 40 * MIN, counters: [{ figure: 'ed_departures', by: 3 }] },
      { at: AS_OF - 40 * MIN, counters: [{ figure: 'ed_departures_within_4h', by: 2 }] },
      { at: AS_OF - 40 * MIN, counters: [{ figure: 'ambulance_handover_ms_lost', by: 1_000_000 }] },
    ]);
    const rates = async (query: string) =>
      (await get(t, `/v1/trusts/${TRUST}/snapshot?${asOf}${query}`)).json().today.rates;
    const round = await rates('');
    expect(round.ed_within_4h_pct.adult).toBe(66.7);
    expect(round.ed_within_4h_share.adult).toBe(0.6667);
    expect(round.ambulance_handover_hours_lost.adult).toBe(0.28);
    const exact = await rates('&exact=true');
    expect(exact.ed_within_4h_pct.adult).toBe((2 / 3) * 100);
    expect(exact.ambulance_handover_hours_lost.adult).toBe(1_000_000 / 3_600_000);
  });

  it('openapi document should state the unit of every figure of a snapshot', async () => {
    const t = await testApp();
    const doc = (await t.app.inject('/openapi.json')).json();
    // shared shapes are components: a $ref (with its use's own annotations beside it)
    type Schema = { $ref?: string; properties: Record<string, Schema> } & Record<string, unknown>;
    const at = (schema: Schema): Schema =>
      schema.$ref
        ? { ...doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')], ...schema }
        : schema;
    const snapshot = at(
      doc.paths['/v1/england/snapshot'].get.responses['200'].content['application/json'].schema,
    );
    const today = at(snapshot.properties.today!);
    const figures = [
      at(snapshot.properties.live!.properties.gauges!),
      at(snapshot.properties.live!.properties.beds!),
      at(today.properties.counters!),
      at(today.properties.rates!),
    ];
    const missing: string[] = [];
    for (const block of figures)
      for (const [name, schema] of Object.entries(block.properties as Record<string, object>))
        if (!('x-unit' in schema)) missing.push(name);
    expect(missing).toEqual([]);
    expect(snapshot.properties.live!.properties.ga_occupancy_pct!['x-unit']).toBe('percent');
    expect(figures[3]!.properties.ed_within_4h_share!.deprecated).toBe(true);
  });
});
