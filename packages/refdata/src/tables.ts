import { join } from 'node:path';
import { readCsvRecords, toCsv } from './csv.js';
import { assertIsoDate } from './dates.js';
import { RefDataError } from './errors.js';
import { TRUST_KINDS, type AeDepartmentType, type TrustKind } from './kinds.js';
import type { Icb, LondonDate, Region, Trust } from './types.js';

/** A trust's ICB from validFrom to validTo inclusive. */
export interface Membership {
  readonly odsCode: string;
  readonly icbCode: string;
  readonly validFrom: LondonDate;
  readonly validTo: LondonDate | null;
}

/** The derived tables in data/ that loadRefData reads; scripts/build-data.ts writes them. */
export interface Tables {
  readonly regions: readonly Region[];
  readonly icbs: readonly Icb[];
  readonly trusts: readonly Trust[];
  readonly memberships: readonly Membership[];
}

const COLUMNS = {
  regions: ['code', 'name', 'ons_code'],
  icbs: ['code', 'name', 'region_code', 'ons_code', 'valid_from', 'valid_to'],
  trusts: ['ods_code', 'name', 'open_date', 'close_date'],
  memberships: ['ods_code', 'icb_code', 'valid_from', 'valid_to'],
  kinds: ['ods_code', 'name', 'kind', 'ae_types', 'children', 'basis'],
} as const;

/** File name of each derived table inside data/. */
export const TABLE_FILES = {
  regions: 'regions.csv',
  icbs: 'icbs.csv',
  trusts: 'trusts.csv',
  memberships: 'trust-icb.csv',
} as const satisfies Record<keyof Tables, string>;

/** Each trust's kind, A&E department types, children's flag and basis: one reviewable file. */
export const KINDS_FILE = 'trust-kinds.csv';

const orNull = (value: string | undefined): string | null => (value ? value : null);
const date = (value: string | undefined, what: string): LondonDate =>
  assertIsoDate(value ?? '', what);
const dateOrNull = (value: string | undefined, what: string): LondonDate | null =>
  value ? assertIsoDate(value, what) : null;

const invalid = (message: string) => new RefDataError('REFDATA_INVALID', message);

type KindFields = Pick<Trust, 'kind' | 'aeTypes' | 'children' | 'kindBasis'>;

function readKinds(dir: string): Map<string, KindFields> {
  const kinds = new Map<string, KindFields>();
  for (const r of readCsvRecords(join(dir, KINDS_FILE), COLUMNS.kinds)) {
    const what = `${KINDS_FILE} ${r.ods_code}`;
    if (!(TRUST_KINDS as readonly string[]).includes(r.kind!))
      throw invalid(`${what}: unknown kind '${r.kind}'`);
    const aeTypes = r.ae_types ? r.ae_types.split(';').map(Number) : [];
    if (aeTypes.some((t) => t !== 1 && t !== 2 && t !== 3))
      throw invalid(`${what}: bad ae_types '${r.ae_types}'`);
    if (r.children !== 'yes' && r.children !== 'no')
      throw invalid(`${what}: children must be yes or no`);
    if (kinds.has(r.ods_code!)) throw invalid(`${what}: listed twice`);
    kinds.set(r.ods_code!, {
      kind: r.kind as TrustKind,
      aeTypes: aeTypes as AeDepartmentType[],
      children: r.children === 'yes',
      kindBasis: r.basis!,
    });
  }
  return kinds;
}

/** Reads the derived tables from a data directory. */
export function readTables(dir: string): Tables {
  const rows = (table: keyof Tables) =>
    readCsvRecords(join(dir, TABLE_FILES[table]), COLUMNS[table]);
  const kinds = readKinds(dir);
  const kindOf = (code: string): KindFields => {
    const k = kinds.get(code);
    if (!k) throw invalid(`trust ${code} has no row in ${KINDS_FILE}`);
    kinds.delete(code);
    return k;
  };
  const tables: Tables = {
    regions: rows('regions').map((r) => ({ code: r.code!, name: r.name!, onsCode: r.ons_code! })),
    icbs: rows('icbs').map((r) => ({
      code: r.code!,
      name: r.name!,
      regionCode: r.region_code!,
      onsCode: orNull(r.ons_code),
      validFrom: date(r.valid_from, `ICB ${r.code} valid_from`),
      validTo: dateOrNull(r.valid_to, `ICB ${r.code} valid_to`),
    })),
    trusts: rows('trusts').map((r) => ({
      odsCode: r.ods_code!,
      name: r.name!,
      openDate: date(r.open_date, `trust ${r.ods_code} open_date`),
      closeDate: dateOrNull(r.close_date, `trust ${r.ods_code} close_date`),
      ...kindOf(r.ods_code!),
    })),
    memberships: rows('memberships').map((r) => ({
      odsCode: r.ods_code!,
      icbCode: r.icb_code!,
      validFrom: date(r.valid_from, `membership ${r.ods_code} valid_from`),
      validTo: dateOrNull(r.valid_to, `membership ${r.ods_code} valid_to`),
    })),
  };
  if (kinds.size > 0) throw invalid(`${KINDS_FILE} names unknown trust(s) ${[...kinds.keys()]}`);
  return tables;
}

/** The CSV text of each derived table, keyed by file name: what build-data writes. */
export function renderTables(tables: Tables): Record<string, string> {
  return {
    [TABLE_FILES.regions]: toCsv(
      COLUMNS.regions,
      tables.regions.map((r) => [r.code, r.name, r.onsCode]),
    ),
    [TABLE_FILES.icbs]: toCsv(
      COLUMNS.icbs,
      tables.icbs.map((i) => [
        i.code,
        i.name,
        i.regionCode,
        i.onsCode ?? '',
        i.validFrom,
        i.validTo ?? '',
      ]),
    ),
    [TABLE_FILES.trusts]: toCsv(
      COLUMNS.trusts,
      tables.trusts.map((t) => [t.odsCode, t.name, t.openDate, t.closeDate ?? '']),
    ),
    [TABLE_FILES.memberships]: toCsv(
      COLUMNS.memberships,
      tables.memberships.map((m) => [m.odsCode, m.icbCode, m.validFrom, m.validTo ?? '']),
    ),
    [KINDS_FILE]: toCsv(
      COLUMNS.kinds,
      tables.trusts.map((t) => [
        t.odsCode,
        t.name,
        t.kind,
        t.aeTypes.join(';'),
        t.children ? 'yes' : 'no',
        t.kindBasis,
      ]),
    ),
  };
}
