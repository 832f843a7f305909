import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveTables } from '../src/build/derive.js';
import { readRawSources } from '../src/build/sources.js';
import { DEFAULT_DATA_DIR } from '../src/index.js';
import { renderTables } from '../src/tables.js';

describe('derived data', () => {
  it('the committed tables should equal what scripts/build-data.ts derives from data/raw', () => {
    const rendered = renderTables(deriveTables(readRawSources(DEFAULT_DATA_DIR)));
    expect(Object.keys(rendered)).toHaveLength(5);
    for (const [file, text] of Object.entries(rendered)) {
      expect(
        readFileSync(join(DEFAULT_DATA_DIR, file), 'utf8'),
        `${file} is stale: run npm run build-data`,
      ).toBe(text);
    }
  });
});
