// The proof stays apart from the product: no workspace ships @pulse/verify (a dependency, not a
// devDependency) and no runtime source file imports it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const workspaces = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'verify')
    .map((entry) => join(root, group, entry.name)),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('@pulse/verify boundaries', () => {
  it('no workspace should depend on @pulse/verify outside devDependencies', () => {
    const shipping = workspaces.filter((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      return '@pulse/verify' in (manifest.dependencies ?? {});
    });
    expect(shipping.map((dir) => relative(root, dir))).toEqual([]);
  });

  it('no runtime source file should import @pulse/verify', () => {
    const importing = workspaces
      .flatMap((dir) => {
        try {
          return sourceFiles(join(dir, 'src'));
        } catch {
          return [];
        }
      })
      .filter((file) => /from ['"]@pulse\/verify['"]/.test(readFileSync(file, 'utf8')));
    expect(importing.map((file) => relative(root, file))).toEqual([]);
  });
});
