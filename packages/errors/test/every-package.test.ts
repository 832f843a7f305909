// Every error class a workspace defines in its src/ extends PulseError, so callers everywhere can
// rely on `code`, `cause` and `canRetry`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function sources(): string[] {
  return ['packages', 'services'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => {
        const src = join(root, group, entry.name, 'src');
        try {
          return readdirSync(src, { withFileTypes: true, recursive: true })
            .filter((file) => file.isFile() && /\.(ts|mts)$/.test(file.name))
            .map((file) => join(file.parentPath, file.name));
        } catch {
          return [];
        }
      }),
  );
}

describe('error classes', () => {
  it('every error class in a workspace src/ should extend PulseError', () => {
    const classes = sources().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends (\w+)/g)]
        .filter(([, name]) => name!.endsWith('Error'))
        .map(([, name, base]) => ({ where: relative(root, file), name, base })),
    );
    expect(classes.length).toBeGreaterThanOrEqual(6);
    // A subclass of a project error (CursorExpiredError extends StoreError) extends it too.
    const baseOf = new Map(classes.map((c) => [c.name!, c.base!]));
    const reachesPulseError = (name: string, seen = new Set<string>()): boolean => {
      const base = baseOf.get(name);
      if (base === 'PulseError') return true;
      if (base === undefined || seen.has(name)) return false;
      return reachesPulseError(base, seen.add(name));
    };
    expect(classes.filter((c) => !reachesPulseError(c.name!))).toEqual([]);
  });
});
