import { describe, expect, it } from 'vitest';
import { RefDataError, loadRefData, type ProviderResolution } from '../src/index.js';
import { rawRecords } from './raw.js';

const refdata = loadRefData();
const icbOf = (r: ProviderResolution) => (r.status === 'ok' ? r.icb.code : r.status);
const regionOf = (r: ProviderResolution) => (r.status === 'ok' ? r.region.code : r.status);

// "QMJ,...,Z9B2Z(NAME): G6V2S RAL ...; S0E4D(NAME): RWX" -> [['QMJ', 'Z9B2Z', 'G6V2S'], ...]
const moves = rawRecords('icb_changes_2026.csv').flatMap((row) => {
  const [from, , , reassigned = ''] = Object.values(row);
  return [...reassigned.matchAll(/(\w+)\([^)]*\): ([\w ]+)/g)].flatMap(([, to, codes]) =>
    codes!
      .trim()
      .split(' ')
      .map((code) => [from!, to!, code] as const),
  );
});

describe('resolveProvider', () => {
  it('resolveProvider should put every moved trust in its 2022 ICB on 31 March and its new ICB on 1 April 2026', () => {
    expect(moves.length).toBeGreaterThan(50);
    for (const [from, to, code] of moves) {
      const closing = refdata.trust(code)!.closeDate === '2026-03-31';
      expect(icbOf(refdata.resolveProvider(code, '2026-03-31')), code).toBe(from);
      expect(icbOf(refdata.resolveProvider(code, '2026-04-01')), code).toBe(
        closing ? 'closed' : to,
      );
    }
  });

  it('resolveProvider should give a region consistent with the ICB on both sides of the mergers', () => {
    const rgt = ['2026-03-31', '2026-04-01'].map((d) => refdata.resolveProvider('RGT', d));
    expect(rgt.map(icbOf)).toEqual(['QUE', 'S1Y5D']);
    expect(rgt.map(regionOf)).toEqual(['Y61', 'Y61']);
    for (const r of rgt) if (r.status === 'ok') expect(r.region.code).toBe(r.icb.regionCode);
  });

  it('resolveProvider should follow ODS for Oxleas: South East London then Kent and Medway', () => {
    const before = refdata.resolveProvider('RPG', '2026-03-31');
    const after = refdata.resolveProvider('RPG', '2026-04-01');
    expect([icbOf(before), regionOf(before)]).toEqual(['QKK', 'Y56']);
    expect([icbOf(after), regionOf(after)]).toEqual(['QKS', 'Y59']);
  });

  it('resolveProvider should keep trusts closing on 31 March 2026 open that day and closed from 1 April', () => {
    for (const code of ['RNK', 'RY2', 'RYV']) {
      expect(refdata.resolveProvider(code, '2026-03-31').status, code).toBe('ok');
      expect(refdata.resolveProvider(code, '2026-04-01'), code).toMatchObject({
        status: 'closed',
        closed: '2026-03-31',
      });
    }
  });

  it('resolveProvider should keep RVJ open until 30 June 2026 in its unchanged ICB', () => {
    expect(icbOf(refdata.resolveProvider('RVJ', '2026-06-30'))).toBe('QUY');
    expect(refdata.resolveProvider('RVJ', '2026-07-01')).toMatchObject({
      status: 'closed',
      closed: '2026-06-30',
    });
  });

  it('resolveProvider should report K0N6A as not open before 1 June 2026 and in South East London from then', () => {
    expect(refdata.resolveProvider('K0N6A', '2026-05-31')).toMatchObject({
      status: 'not-open',
      opens: '2026-06-01',
    });
    expect(icbOf(refdata.resolveProvider('K0N6A', '2026-06-01'))).toBe('QKK');
  });

  it('resolveProvider should report a trust closed before 2025 as closed', () => {
    expect(refdata.resolveProvider('RAP', '2024-12-31').status).toBe('ok');
    expect(refdata.resolveProvider('RAP', '2025-01-01')).toMatchObject({
      status: 'closed',
      closed: '2024-12-31',
    });
  });

  it('resolveProvider should report codes never seen, and Welsh trusts, as unknown', () => {
    for (const code of ['XXX', '', 'rgt', 'RQF', 'RT4', 'QUE']) {
      expect(refdata.resolveProvider(code, '2026-04-01'), code).toEqual({ status: 'unknown' });
      expect(refdata.trust(code)).toBeUndefined();
    }
  });

  it('resolveProvider should report an open trust before the ICBs existed as before coverage', () => {
    expect(refdata.resolveProvider('RGT', '2022-06-30')).toMatchObject({
      status: 'before-coverage',
      coverageFrom: '2022-07-01',
    });
    expect(refdata.coverageFrom).toBe('2022-07-01');
  });

  it('structureChanges should list every date the trusts of some scope change, and only those', () => {
    const changes = refdata.structureChanges;
    expect(changes[0]).toBe('2022-07-01');
    expect(changes).toContain('2026-04-01');
    expect([...changes].sort()).toEqual(changes);
    // Between two listed dates (and after the last) every trust resolves the same way.
    const parentsOn = (date: string) =>
      refdata.trusts(date).map((t) => {
        const r = refdata.resolveProvider(t.odsCode, date);
        return r.status === 'ok' ? `${t.odsCode}>${r.icb.code}>${r.region.code}` : '';
      });
    for (const [i, from] of changes.entries()) {
      const last = changes[i + 1] ?? '2027-12-31';
      const lastDay = new Date(Date.parse(`${last}T00:00:00Z`) - 86_400_000)
        .toISOString()
        .slice(0, 10);
      expect(parentsOn(lastDay), `${from}..${lastDay}`).toEqual(parentsOn(from));
    }
  });

  it('resolveProvider should return the same cached object for the same provider and date', () => {
    expect(refdata.resolveProvider('RGT', '2026-05-01')).toBe(
      refdata.resolveProvider('RGT', '2026-05-01'),
    );
  });

  it('resolveProvider should reject a date that is not YYYY-MM-DD', () => {
    const fresh = loadRefData();
    expect(() => fresh.resolveProvider('RGT', '2026-4-1')).toThrow(RefDataError);
    expect(() => fresh.trusts('20260401')).toThrow(/YYYY-MM-DD/);
  });
});
