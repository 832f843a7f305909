import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding infra/kafka/kafka.mjs. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'infra', 'kafka', 'kafka.mjs'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find infra/kafka/kafka.mjs above @pulse/testkit');
    dir = parent;
  }
  return dir;
}
