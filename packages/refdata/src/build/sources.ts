import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvRecords, readCsvRows } from '../csv.js';
import { assertIsoDate } from '../dates.js';
import { RefDataError } from '../errors.js';
import type { LondonDate } from '../types.js';
import type { KindSources } from './kinds.js';

/** data/sources.json: which raw files to derive the tables from. Adding an extract is a data change. */
interface Manifest {
  regions: string;
  icbLists: string[];
  extracts: { file: string; inForceFrom: string }[];
  /** NHS England's monthly A&E return (a provider's A&E department types). */
  aeReturn: string;
  /** NHS England's FOI list of trust types. */
  trustTypes: string;
  /** Kinds decided by hand, each with its reason. */
  kindOverrides: string;
}

/** One raw ODS etr extract and the date its ICB memberships take effect. */
export interface Extract {
  readonly file: string;
  readonly inForceFrom: LondonDate;
  readonly rows: readonly (readonly string[])[];
}

/** The raw inputs, parsed but not yet interpreted. */
export interface RawSources {
  readonly regions: readonly Record<string, string>[];
  /** ICB names: ods_code, name, and optionally region_code and ons_code. */
  readonly icbLists: readonly (readonly Record<string, string>[])[];
  readonly extracts: readonly Extract[];
  /** The inputs of each trust's kind. */
  readonly kinds: KindSources;
}

export const MANIFEST_FILE = 'sources.json';

/** Reads data/sources.json and the raw files it names. */
export function readRawSources(dataDir: string): RawSources {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dataDir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch (cause) {
    throw new RefDataError('REFDATA_FILE', `cannot read ${join(dataDir, MANIFEST_FILE)}`, {
      cause,
    });
  }
  return {
    regions: readCsvRecords(join(dataDir, manifest.regions), ['region_code', 'name', 'ons_code']),
    icbLists: manifest.icbLists.map((file) =>
      readCsvRecords(join(dataDir, file), ['ods_code', 'name']),
    ),
    extracts: manifest.extracts.map(({ file, inForceFrom }) => ({
      file,
      inForceFrom: assertIsoDate(inForceFrom, `${MANIFEST_FILE} ${file} inForceFrom`),
      rows: readCsvRows(join(dataDir, file)),
    })),
    kinds: {
      aeReturn: readCsvRecords(join(dataDir, manifest.aeReturn), ['Org Code', 'Period']),
      trustTypes: readCsvRecords(join(dataDir, manifest.trustTypes), ['ods_code', 'trust_type']),
      overrides: readCsvRecords(join(dataDir, manifest.kindOverrides), [
        'ods_code',
        'kind',
        'ae_types',
        'reason',
      ]),
    },
  };
}
