import { describe, expect, it } from 'vitest';
import { get, testApp } from './helpers.js';

describe('organisations', () => {
  it('organisations should list the regions, ICBs and trusts in force on a date', async () => {
    const t = await testApp();
    const regions = (await get(t, '/v1/organisations/regions?date=2026-04-01')).json();
    expect(regions.date).toBe('2026-04-01');
    expect(regions.count).toBe(7);
    expect(regions.regions).toContainEqual({
      code: 'Y62',
      name: 'North West',
      onsCode: 'E40000010',
    });

    const before = (await get(t, '/v1/organisations/icbs?date=2026-03-31')).json();
    const after = (await get(t, '/v1/organisations/icbs?date=2026-04-01')).json();
    expect(before.icbs.map((i: { code: string }) => i.code)).toContain('QMJ');
    expect(after.icbs.map((i: { code: string }) => i.code)).not.toContain('QMJ');
    expect(after.count).toBeLessThan(before.count);

    const trusts = (await get(t, '/v1/organisations/trusts?date=2026-04-01')).json();
    expect(trusts.trusts).toContainEqual({
      code: 'RXN',
      name: 'LANCASHIRE TEACHING HOSPITALS NHS FOUNDATION TRUST',
      icbCode: 'QE1',
      regionCode: 'Y62',
      openDate: '2002-08-01',
      closeDate: null,
      kind: 'acute',
    });
    expect(trusts.count).toBe(trusts.trusts.length);
    const kindOf = (code: string) =>
      trusts.trusts.find((t: { code: string }) => t.code === code)?.kind;
    expect([kindOf('RX8'), kindOf('RP6'), kindOf('RXT')]).toEqual([
      'ambulance',
      'specialist',
      'mental-health',
    ]);
  });

  it('organisations should default to today in London', async () => {
    const t = await testApp();
    const res = (await get(t, '/v1/organisations/regions')).json();
    expect(res.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('organisations should answer a precise 400 problem for a malformed or impossible date', async () => {
    const t = await testApp();
    const shape = await get(t, '/v1/organisations/trusts?date=01-04-2026');
    expect(shape.statusCode).toBe(400);
    expect(shape.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shape.json()).toMatchObject({
      status: 400,
      code: 'INVALID_PARAMETER',
      type: 'urn:ics-pulse:problem:invalid-parameter',
      instance: '/v1/organisations/trusts?date=01-04-2026',
      detail: "query parameter 'date' must be a date YYYY-MM-DD",
      errors: [
        { in: 'query', name: 'date', pointer: '/date', detail: 'must be a date YYYY-MM-DD' },
      ],
    });
    const impossible = await get(t, '/v1/organisations/icbs?date=2026-02-30');
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().errors).toEqual([
      { in: 'query', name: 'date', pointer: '/date', detail: 'is not a calendar date: 2026-02-30' },
    ]);
  });
});
