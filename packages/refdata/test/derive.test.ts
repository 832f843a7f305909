import { describe, expect, it } from 'vitest';
import { deriveTables } from '../src/build/derive.js';
import type { RawSources } from '../src/build/sources.js';
import { RefDataError, createRefData } from '../src/index.js';

// A tiny world: two regions, three ICBs, two extracts, one Welsh trust.
const regions = [
  { region_code: 'Y56', name: 'London', ons_code: 'E40000003' },
  { region_code: 'Y59', name: 'South East', ons_code: 'E40000005' },
];
const etr = (code: string, region: string, icb: string, open: string, close = '') => {
  const row = Array<string>(27).fill('');
  [row[0], row[1], row[2], row[3], row[10], row[11]] = [
    code,
    `TRUST ${code}`,
    region,
    icb,
    open,
    close,
  ];
  return row;
};
const sources = (extra: Partial<RawSources> = {}): RawSources => ({
  regions,
  icbLists: [
    [
      { ods_code: 'QAA', name: 'A', region_code: 'Y56', ons_code: 'E1' },
      { ods_code: 'QBB', name: 'B', region_code: 'Y59', ons_code: 'E2' },
    ],
    [{ ods_code: 'ZNEW1', name: 'NEW' }],
  ],
  extracts: [
    {
      file: 'old.csv',
      inForceFrom: '2022-07-01',
      rows: [
        etr('R1', 'Y56', 'QAA', '20000101'),
        etr('R2', 'Y59', 'QBB', '20000101'),
        etr('W1', 'W00', 'Q99', '20000101'),
      ],
    },
    {
      file: 'new.csv',
      inForceFrom: '2026-04-01',
      rows: [
        etr('R1', 'Y56', 'ZNEW1', '20000101'),
        etr('R2', 'Y59', 'QBB', '20000101', '20260630'),
      ],
    },
  ],
  kinds: {
    aeReturn: [
      { Period: 'MSitAE-MAY-2025', 'Org Code': 'R1', 'A&E attendances Type 1': '10' },
      { Period: 'MSitAE-MAY-2025', 'Org Code': 'R2', 'A&E attendances Type 1': '0' },
    ],
    trustTypes: [
      { ods_code: 'R1', trust_type: 'Acute' },
      { ods_code: 'R2', trust_type: 'Acute' },
      { ods_code: 'R3', trust_type: 'Community' },
    ],
    overrides: [],
  },
  ...extra,
});

describe('deriveTables', () => {
  it('deriveTables should split memberships at the newer extract and merge unchanged ones', () => {
    const tables = deriveTables(sources());
    expect(tables.memberships).toEqual([
      { odsCode: 'R1', icbCode: 'QAA', validFrom: '2022-07-01', validTo: '2026-03-31' },
      { odsCode: 'R1', icbCode: 'ZNEW1', validFrom: '2026-04-01', validTo: null },
      { odsCode: 'R2', icbCode: 'QBB', validFrom: '2022-07-01', validTo: '2026-06-30' },
    ]);
  });

  it('deriveTables should end an ICB no trust uses and take a new ICB region from its trusts', () => {
    const icbs = deriveTables(sources()).icbs;
    expect(icbs.map((i) => [i.code, i.regionCode, i.onsCode, i.validFrom, i.validTo])).toEqual([
      ['QAA', 'Y56', 'E1', '2022-07-01', '2026-03-31'],
      ['QBB', 'Y59', 'E2', '2022-07-01', null],
      ['ZNEW1', 'Y56', null, '2026-04-01', null],
    ]);
  });

  it('deriveTables should leave out trusts outside the English regions', () => {
    expect(deriveTables(sources()).trusts.map((t) => t.odsCode)).toEqual(['R1', 'R2']);
  });

  it('deriveTables should take a trust first seen in a newer extract back to its opening', () => {
    const base = sources();
    const late = {
      ...base.extracts[1]!,
      rows: [...base.extracts[1]!.rows, etr('R3', 'Y59', 'QBB', '20250101')],
    };
    const refdata = createRefData(deriveTables({ ...base, extracts: [base.extracts[0]!, late] }));
    const r = refdata.resolveProvider('R3', '2025-06-01');
    expect(r.status === 'ok' && r.icb.code).toBe('QBB');
  });

  it('deriveTables should refuse a trust in an ICB that no list names', () => {
    const base = sources();
    const bad = { ...base.extracts[1]!, rows: [etr('R1', 'Y56', 'ZNOPE', '20000101')] };
    expect(() => deriveTables({ ...base, extracts: [base.extracts[0]!, bad] })).toThrow(
      RefDataError,
    );
  });

  it('deriveTables should refuse an ICB whose trusts are in another region than its list says', () => {
    const base = sources();
    const bad = { ...base.extracts[0]!, rows: [etr('R1', 'Y59', 'QAA', '20000101')] };
    expect(() => deriveTables({ ...base, extracts: [bad] })).toThrow(/QAA/);
  });
});
