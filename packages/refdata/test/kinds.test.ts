import { describe, expect, it } from 'vitest';
import { deriveTrustKinds, type KindSources } from '../src/build/kinds.js';
import {
  expectedToReport,
  FIGURE_FAMILIES,
  kindsReporting,
  loadRefData,
  RefDataError,
  TRUST_KINDS,
} from '../src/index.js';
import { rawRecords } from './raw.js';

const COVERAGE = '2022-07-01';
const trust = (odsCode: string, name = `TRUST ${odsCode}`, closeDate: string | null = null) => ({
  odsCode,
  name,
  closeDate,
});
const aeRow = (code: string, type1: number, type2 = 0, other = 0) => ({
  Period: 'MSitAE-MAY-2025',
  'Org Code': code,
  'A&E attendances Type 1': String(type1),
  'A&E attendances Type 2': String(type2),
  'A&E attendances Other A&E Department': String(other),
});
const sources = (extra: Partial<KindSources> = {}): KindSources => ({
  aeReturn: [aeRow('RA1', 900, 0, 50), aeRow('RS1', 0, 40), aeRow('RC1', 0, 0, 70)],
  trustTypes: [
    { ods_code: 'RA1', trust_type: 'Acute' },
    { ods_code: 'RS1', trust_type: 'Acute' },
    { ods_code: 'RC1', trust_type: 'Community' },
    { ods_code: 'RM1', trust_type: 'Mental Health' },
    { ods_code: 'RX1', trust_type: 'Ambulance' },
  ],
  overrides: [],
  ...extra,
});
const derive = (trusts: ReturnType<typeof trust>[], extra: Partial<KindSources> = {}) =>
  deriveTrustKinds(trusts, sources(extra), COVERAGE);

describe('deriveTrustKinds', () => {
  it('deriveTrustKinds should make an FOI acute trust acute only with type 1 attendances', () => {
    const kinds = derive([trust('RA1'), trust('RS1')]);
    expect(kinds.get('RA1')).toMatchObject({ kind: 'acute', aeTypes: [1, 3] });
    expect(kinds.get('RS1')).toMatchObject({ kind: 'specialist', aeTypes: [2] });
    expect(kinds.get('RS1')!.kindBasis).toBe(
      "NHS England FOI trust type 'Acute'; A&E return of May 2025, attendances incl. booked: type 2 40",
    );
  });

  it('deriveTrustKinds should keep the FOI type of other trusts and their own A&E units', () => {
    const kinds = derive([trust('RC1'), trust('RM1'), trust('RX1')]);
    expect(kinds.get('RC1')).toMatchObject({ kind: 'community', aeTypes: [3] });
    expect(kinds.get('RM1')).toMatchObject({ kind: 'mental-health', aeTypes: [] });
    expect(kinds.get('RX1')!.kindBasis).toContain('not in the A&E return of May 2025');
  });

  it('deriveTrustKinds should let an override win, with its reason as the basis', () => {
    const overrides = [{ ods_code: 'RC1', kind: 'other', ae_types: '', reason: 'because' }];
    const kinds = derive([trust('RC1')], { overrides });
    expect(kinds.get('RC1')).toMatchObject({
      kind: 'other',
      aeTypes: [],
      kindBasis: 'override: because',
    });
  });

  it('deriveTrustKinds should use names only for trusts closed before the ICBs', () => {
    const kinds = derive([
      trust('RO1', 'OLD AMBULANCE SERVICE NHS TRUST', '2010-03-31'),
      trust('RO2', 'OLD GENERAL HOSPITAL NHS TRUST', '2010-03-31'),
    ]);
    expect(kinds.get('RO1')!.kind).toBe('ambulance');
    expect(kinds.get('RO2')).toMatchObject({ kind: 'acute', aeTypes: [1] });
    expect(kinds.get('RO2')!.kindBasis).toContain('never attributed');
    expect(() => derive([trust('RN1', 'NEW AMBULANCE SERVICE NHS TRUST', '2023-03-31')])).toThrow(
      /RN1 is open since 2022-07-01 but no source gives its kind/,
    );
  });

  it('deriveTrustKinds should refuse a non-acute trust with a type 1 department', () => {
    expect(() => derive([trust('RM1')], { aeReturn: [aeRow('RM1', 5)] })).toThrow(
      /trust RM1: kind mental-health with A&E types \[1\]/,
    );
  });

  it('deriveTrustKinds should refuse an override of an unknown kind or trust', () => {
    const bad = (row: Record<string, string>) => () => derive([trust('RC1')], { overrides: [row] });
    expect(bad({ ods_code: 'RC1', kind: 'hospital', ae_types: '', reason: 'x' })).toThrow(
      RefDataError,
    );
    expect(bad({ ods_code: 'ZZZ', kind: 'other', ae_types: '', reason: 'x' })).toThrow(/ZZZ/);
  });

  it('deriveTrustKinds should mark a children hospital from its name', () => {
    const kinds = derive([trust('RA1', "ALDER HEY CHILDREN'S NHS FOUNDATION TRUST")]);
    expect(kinds.get('RA1')!.children).toBe(true);
  });
});

describe('figure families', () => {
  it('expectedToReport should expect A&E from any trust running a department, handovers from type 1', () => {
    const community = { kind: 'community', aeTypes: [3] } as const;
    const acute = { kind: 'acute', aeTypes: [1] } as const;
    const specialist = { kind: 'specialist', aeTypes: [] } as const;
    expect(expectedToReport(community, 'ae')).toBe(true);
    expect(expectedToReport(community, 'ambulance-handovers')).toBe(false);
    expect(expectedToReport(community, 'rtt')).toBe(false);
    expect(expectedToReport(acute, 'ambulance-handovers')).toBe(true);
    expect(FIGURE_FAMILIES.filter((f) => expectedToReport(specialist, f))).toEqual([
      'inpatient',
      'beds',
      'rtt',
    ]);
  });

  it('kindsReporting should name only known kinds, and every one of them should report', () => {
    for (const family of FIGURE_FAMILIES) {
      for (const kind of kindsReporting(family)) {
        expect(TRUST_KINDS).toContain(kind);
        const aeTypes = kind === 'acute' ? ([1] as const) : ([] as const);
        expect(expectedToReport({ kind, aeTypes }, family)).toBe(true);
      }
    }
  });
});

describe('trust kinds in the package data', () => {
  const refdata = loadRefData();
  const DAY = '2026-11-23';
  const open = refdata.trusts(DAY);
  const aeReturn = rawRecords('ae-monthly-2025-05.csv');

  it('the A&E return copy should add up to its own TOTAL row in every column', () => {
    const total = aeReturn.find((r) => r['Org Code'] === 'TOTAL')!;
    const rows = aeReturn.filter((r) => r['Org Code'] !== 'TOTAL');
    expect(rows).toHaveLength(200);
    for (const column of Object.keys(total).slice(4)) {
      const sum = rows.reduce((s, r) => s + Number(r[column]), 0);
      expect(sum, column).toBe(Number(total[column]));
    }
  });

  it('the ambulance trusts should be the ten English ambulance services', () => {
    expect(open.filter((t) => t.kind === 'ambulance').map((t) => t.odsCode)).toEqual([
      'RRU',
      'RX6',
      'RX7',
      'RX8',
      'RX9',
      'RYA',
      'RYC',
      'RYD',
      'RYE',
      'RYF',
    ]);
  });

  it('a trust should be acute exactly when the A&E return shows type 1 attendances for it', () => {
    const type1 = new Set(
      aeReturn.filter((r) => Number(r['A&E attendances Type 1']) > 0).map((r) => r['Org Code']),
    );
    for (const t of open) expect(t.kind === 'acute', t.odsCode).toBe(type1.has(t.odsCode));
  });

  it('every trust open since the ICBs should have a kind from the FOI list or an override', () => {
    const foi = new Set(rawRecords('trust-types-foi-2024.csv').map((r) => r.ods_code));
    const overridden = new Set(rawRecords('trust-kind-overrides.csv').map((r) => r.ods_code));
    for (const date of ['2022-07-01', '2024-01-01', '2026-03-31', DAY]) {
      for (const t of refdata.trusts(date)) {
        expect(foi.has(t.odsCode) || overridden.has(t.odsCode), t.odsCode).toBe(true);
        expect(t.kindBasis).not.toMatch(/^closed/);
      }
    }
  });

  it('the trusts of a day should split into kinds as the data says (2026-11-23)', () => {
    const byKind = Object.fromEntries(
      TRUST_KINDS.map((k) => [k, open.filter((t) => t.kind === k).length]),
    );
    expect(byKind).toEqual({
      acute: 120,
      specialist: 13,
      community: 10,
      'mental-health': 17,
      'mental-health-community': 28,
      ambulance: 10,
      other: 1,
    });
    expect(open.filter((t) => t.children).map((t) => t.odsCode)).toEqual([
      'RBS',
      'RCU',
      'RP4',
      'RQ3',
    ]);
  });

  it('trustsExpectedToReport should count only the expected providers of a scope', () => {
    const england = { kind: 'england' } as const;
    expect(refdata.trustsExpectedToReport(england, DAY, 'ambulance-handovers')).toHaveLength(120);
    expect(refdata.trustsExpectedToReport(england, DAY, 'rtt')).toHaveLength(133);
    const ae = refdata.trustsExpectedToReport(england, DAY, 'ae');
    expect(ae.length).toBe(open.filter((t) => t.aeTypes.length > 0).length);
    expect(ae.map((t) => t.odsCode)).toContain('RW4'); // Mersey Care's urgent treatment centres
    expect(ae.map((t) => t.odsCode)).not.toContain('RX8');
    expect(refdata.trustsExpectedToReport(england, DAY, 'ae')).toBe(ae); // shared, not rebuilt
    for (const icb of refdata.icbs(DAY)) {
      const scope = { kind: 'icb', code: icb.code } as const;
      const inScope = new Set(refdata.trustsInScope(scope, DAY));
      for (const t of refdata.trustsExpectedToReport(scope, DAY, 'beds')) {
        expect(inScope.has(t)).toBe(true);
      }
    }
  });
});
