import { describe, expect, it } from 'vitest';
import { loadRefData } from '../src/index.js';
import { etr, openInExtract, rawRecords } from './raw.js';

const refdata = loadRefData();
const codes = (items: readonly { code: string }[]) => items.map((i) => i.code);
const DATES = [
  '2022-07-01',
  '2025-01-01',
  '2025-06-01',
  '2026-03-31',
  '2026-04-01',
  '2026-06-01',
  '2026-07-01',
];

describe('structure in force', () => {
  it('icbs should be the 42 ICBs of 2022 until 31 March 2026 and 36 from 1 April 2026', () => {
    const icbs2022 = codes(rawRecords('icbs.csv').map((r) => ({ code: r.ods_code! }))).sort();
    const changes = rawRecords('icb_changes_2026.csv');
    const ending = changes
      .filter((r) => r.apr2026_status!.startsWith('not present'))
      .map((r) => r.ods_code_2025!);
    const created = rawRecords('icbs_2026_new.csv').map((r) => r.ods_code!);
    expect(codes(refdata.icbs('2026-03-31'))).toEqual(icbs2022);
    expect(ending).toHaveLength(12);
    expect(codes(refdata.icbs('2026-04-01'))).toEqual(
      [...icbs2022.filter((c) => !ending.includes(c)), ...created].sort(),
    );
    expect(refdata.icbs('2026-03-31')).toHaveLength(42);
    expect(refdata.icbs('2026-04-01')).toHaveLength(36);
  });

  it('regions should be the 7 regions on either side of the mergers', () => {
    for (const date of ['2026-03-31', '2026-04-01']) {
      expect(codes(refdata.regions(date))).toEqual(
        rawRecords('regions.csv').map((r) => r.region_code),
      );
    }
  });

  it('every ICB in force should have a region, and the ICB lookup should work on any date', () => {
    for (const date of DATES) {
      for (const icb of refdata.icbs(date)) {
        expect(refdata.region(icb.regionCode), icb.code).toBeDefined();
        expect(refdata.icb(icb.code)).toBe(icb);
      }
    }
    expect(refdata.icb('QUE')).toMatchObject({ validFrom: '2022-07-01', validTo: '2026-03-31' });
    expect(refdata.icb('Z9B2Z')).toMatchObject({ regionCode: 'Y56', validTo: null });
  });

  it('trusts should be those open in the raw extracts on each date', () => {
    // The 2026 extract carries the full history; the 2025 one only the trusts open in 2024 or later.
    for (const date of DATES) {
      expect(
        refdata.trusts(date).map((t) => t.odsCode),
        date,
      ).toEqual(openInExtract('ods-etr-2026.csv', date));
    }
    for (const date of ['2025-01-01', '2025-06-01']) {
      expect(
        refdata.trusts(date).map((t) => t.odsCode),
        date,
      ).toEqual(openInExtract('ods-etr-2025.csv', date));
    }
    const shared = rawRecords('trusts.csv').length; // the 202 trusts open in the 2025 extract
    expect(refdata.trusts('2025-06-01')).toHaveLength(shared);
    expect(refdata.trusts('2026-03-31').length - refdata.trusts('2026-04-01').length).toBe(3);
  });

  it('every trust open on a date should resolve to an ICB in force and its region', () => {
    for (const date of DATES) {
      const inForce = new Set(codes(refdata.icbs(date)));
      for (const trust of refdata.trusts(date)) {
        const r = refdata.resolveProvider(trust.odsCode, date);
        if (r.status !== 'ok') throw new Error(`${trust.odsCode} on ${date}: ${r.status}`);
        expect(inForce.has(r.icb.code), `${trust.odsCode} ${date}`).toBe(true);
        expect(r.region.code).toBe(r.icb.regionCode);
      }
    }
  });

  it('ICB membership should match each extract on a date it is in force', () => {
    const check = (file: string, date: string) => {
      const open = new Set(openInExtract(file, date));
      for (const row of etr(file).filter((t) => open.has(t.code))) {
        const r = refdata.resolveProvider(row.code, date);
        expect(r.status === 'ok' && [r.icb.code, r.region.code], row.code).toEqual([
          row.icb,
          row.region,
        ]);
      }
    };
    check('ods-etr-2025.csv', '2025-06-01');
    check('ods-etr-2026.csv', '2026-07-01');
  });

  it('trustsInScope should partition the open trusts by ICB and by region', () => {
    for (const date of ['2026-03-31', '2026-04-01']) {
      const all = refdata.trustsInScope({ kind: 'england' }, date);
      expect(all).toEqual(refdata.trusts(date));
      const byIcb = refdata
        .icbs(date)
        .flatMap((i) => refdata.trustsInScope({ kind: 'icb', code: i.code }, date));
      const byRegion = refdata
        .regions(date)
        .flatMap((r) => refdata.trustsInScope({ kind: 'region', code: r.code }, date));
      expect(byIcb).toHaveLength(all.length);
      expect(new Set(byRegion)).toEqual(new Set(all));
    }
    expect(refdata.trustsInScope({ kind: 'icb', code: 'QUE' }, '2026-04-01')).toEqual([]);
    expect(
      codes(
        refdata
          .trustsInScope({ kind: 'icb', code: 'QKS' }, '2026-04-01')
          .map((t) => ({ code: t.odsCode })),
      ),
    ).toContain('RPG');
  });
});
