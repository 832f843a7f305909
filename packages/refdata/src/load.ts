import { fileURLToPath } from 'node:url';
import { createRefData } from './ref-data.js';
import { readTables } from './tables.js';
import type { RefData } from './types.js';

/** The package's own data/ directory (beside src/ and dist/). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

/** Reads and checks the derived tables in dir once; every lookup afterwards is in memory. */
export function loadRefData(dir: string = DEFAULT_DATA_DIR): RefData {
  return createRefData(readTables(dir));
}
