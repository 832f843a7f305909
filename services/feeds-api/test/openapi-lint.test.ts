// The OpenAPI document passes two third-party linters with no error: Redocly CLI's recommended
// rules (which once reported 14 errors, one per operation without a security requirement) and
// Spectral's spectral:oas. Warnings are printed, not failed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@pulse/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testApp } from './helpers.js';

const run = promisify(execFile);
const bin = (name: string) => join(repoRoot(), 'node_modules', '.bin', name);

/** Runs a linter; resolves with its exit code and output whatever the code. */
async function lint(file: string, args: string[], cwd: string) {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env, maxBuffer: 64 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('openapi lint', () => {
  it('openapi document should have 0 errors under Redocly recommended and spectral:oas', async () => {
    const t = await testApp();
    const dir = await mkdtemp(join(tmpdir(), 'feeds-api-lint-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const doc = join(dir, 'openapi.json');
    await writeFile(doc, (await t.app.inject('/openapi.json')).body);
    await writeFile(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');

    const redocly = await lint(
      bin('redocly'),
      ['lint', '--extends=recommended', '--format=summary', doc],
      dir,
    );
    console.log(`redocly:\n${redocly.output}`);
    expect(redocly.output).not.toMatch(/^error /m);
    expect(redocly.code, redocly.output).toBe(0);

    const spectral = await lint(
      bin('spectral'),
      ['lint', '--ruleset', join(dir, '.spectral.yaml'), '--fail-severity=error', doc],
      dir,
    );
    console.log(`spectral:\n${spectral.output}`);
    expect(spectral.output).not.toMatch(/\d+:\d+\s+error\s/);
    expect(spectral.code, spectral.output).toBe(0);
  }, 180_000);
});
