// Independent readings of the raw files, for expectations that do not go through src/build.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DEFAULT_DATA_DIR } from '../src/index.js';

const raw = (file: string) =>
  readFileSync(new URL(`raw/${file}`, `file://${DEFAULT_DATA_DIR}`), 'utf8');

export const rawRecords = (file: string) =>
  parse<Record<string, string>>(raw(file), { columns: true });
export const rawRows = (file: string) => parse(raw(file));

const english = new Set(rawRecords('regions.csv').map((r) => r.region_code));
const iso = (yyyymmdd: string) =>
  `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

/** English trusts of an extract: code, open date, close date ('' if open), ICB and region. */
export function etr(file: string) {
  return rawRows(file)
    .filter((r) => english.has(r[2]!))
    .map((r) => ({
      code: r[0]!,
      region: r[2]!,
      icb: r[3]!,
      open: iso(r[10]!),
      close: r[11] ? iso(r[11]) : '',
    }));
}

/** Codes of English trusts open on date in an extract, counted straight from the raw rows. */
export function openInExtract(file: string, date: string): string[] {
  return etr(file)
    .filter((t) => t.open <= date && (t.close === '' || date <= t.close))
    .map((t) => t.code)
    .sort();
}
