import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  alignTables,
  findRepoRoot,
  markdownTable,
  upsertSection,
  writeSection,
  type Section,
} from '../src/index.js';

const machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 4,
  node: 'v20.0.0',
  os: 'linux',
  load: 0.5,
};
const section = (id: string, body: string): Section => ({
  id,
  title: `Bench ${id}`,
  body,
  machine,
  date: new Date('2026-11-22T12:00:00Z'),
});

describe('benchmark report', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('upsertSection should create the document with a header when it is empty', () => {
    const doc = upsertSection('', section('codec', 'table A'));
    expect(doc).toMatch(/^# Benchmarks\n/);
    expect(doc).toContain(
      '<!-- bench:codec -->\n\n## Bench codec\n\nMeasured 2026-11-22 on Test CPU, 2 cores',
    );
    expect(doc).toContain('table A\n<!-- /bench:codec -->');
  });

  it('upsertSection should replace its own section in place and keep the others', () => {
    let doc = upsertSection('', section('codec', 'old codec'));
    doc = upsertSection(doc, section('redis', 'redis figures'));
    doc = upsertSection(doc + '\nHand-written note.\n', section('codec', 'new codec'));
    expect(doc).not.toContain('old codec');
    expect(doc.indexOf('new codec')).toBeLessThan(doc.indexOf('redis figures'));
    expect(doc).toContain('Hand-written note.');
    expect(doc.match(/<!-- bench:codec -->/g)).toHaveLength(1);
  });

  it('writeSection should write the file it is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
    dirs.push(dir);
    const path = writeSection(section('codec', 'rows'), join(dir, 'BENCHMARKS.md'));
    expect(readFileSync(path, 'utf8')).toContain('rows');
  });

  it('findRepoRoot should find the directory holding turbo.json', () => {
    expect(readFileSync(join(findRepoRoot(), 'turbo.json'), 'utf8')).toContain('tasks');
  });

  it('markdownTable should right-align numbers and group thousands', () => {
    expect(markdownTable(['op', 'ops/s'], [['encode', 1234567.8]])).toBe(
      '| op     |     ops/s |\n| ------ | --------: |\n| encode | 1,234,568 |',
    );
  });
});

describe('alignTables', () => {
  it('alignTables should pad cells and rules the way Prettier formats Markdown tables', () => {
    // The expected text is what prettier 3 writes for the same table.
    const table =
      '| path | events/s | note |\n| --- | ---: | :---: |\n| probe + apply | 27,934 | x |\n| a | 1 | xy |';
    expect(alignTables(table)).toBe(
      [
        '| path          | events/s | note |',
        '| ------------- | -------: | :--: |',
        '| probe + apply |   27,934 |  x   |',
        '| a             |        1 |  xy  |',
      ].join('\n'),
    );
  });
});
