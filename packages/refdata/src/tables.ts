import { join } from 'node:path';
import { readCsvRecords, toCsv } from './csv.js';
import { assertIsoDate } from './dates.js';
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
} as const;

/** File name of each derived table inside data/. */
export const TABLE_FILES = {
  regions: 'regions.csv',
  icbs: 'icbs.csv',
  trusts: 'trusts.csv',
  memberships: 'trust-icb.csv',
} as const satisfies Record<keyof Tables, string>;

const orNull = (value: string | undefined): string | null => (value ? value : null);
const date = (value: string | undefined, what: string): LondonDate =>
  assertIsoDate(value ?? '', what);
const dateOrNull = (value: string | undefined, what: string): LondonDate | null =>
  value ? assertIsoDate(value, what) : null;

/** Reads the derived tables from a data directory. */
export function readTables(dir: string): Tables {
  const rows = (table: keyof Tables) =>
    readCsvRecords(join(dir, TABLE_FILES[table]), COLUMNS[table]);
  return {
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
    })),
    memberships: rows('memberships').map((r) => ({
      odsCode: r.ods_code!,
      icbCode: r.icb_code!,
      validFrom: date(r.valid_from, `membership ${r.ods_code} valid_from`),
      validTo: dateOrNull(r.valid_to, `membership ${r.ods_code} valid_to`),
    })),
  };
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
  };
}
