import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { RefDataError } from './errors.js';

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new RefDataError('REFDATA_FILE', `cannot read ${path}`, { cause });
  }
}

/** A CSV file with a header line, as one record per row keyed by column name. */
export function readCsvRecords(
  path: string,
  required: readonly string[],
): Record<string, string>[] {
  const records = parse<Record<string, string>>(read(path), {
    columns: true,
    skip_empty_lines: true,
  });
  const header = records[0] ?? {};
  const missing = required.filter((column) => !(column in header));
  if (missing.length > 0) {
    throw new RefDataError('REFDATA_INVALID', `${path}: missing column(s) ${missing.join(', ')}`);
  }
  return records;
}

/** A headerless CSV file (the raw ODS extracts), as arrays of fields. */
export function readCsvRows(path: string): string[][] {
  return parse(read(path), { skip_empty_lines: true });
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV text with a header line and LF line endings, quoting only where needed. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}
