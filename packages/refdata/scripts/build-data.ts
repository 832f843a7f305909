// Regenerates the derived tables in data/ from the raw sources named in data/sources.json.
//   npx tsx packages/refdata/scripts/build-data.ts [dataDir]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveTables } from '../src/build/derive.js';
import { readRawSources } from '../src/build/sources.js';
import { DEFAULT_DATA_DIR } from '../src/load.js';
import { renderTables } from '../src/tables.js';

const dataDir = process.argv[2] ?? DEFAULT_DATA_DIR;
for (const [file, text] of Object.entries(renderTables(deriveTables(readRawSources(dataDir))))) {
  writeFileSync(join(dataDir, file), text);
  console.log(`wrote ${join(dataDir, file)} (${text.split('\n').length - 2} rows)`);
}
