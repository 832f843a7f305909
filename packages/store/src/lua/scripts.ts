// The store's Lua scripts, read from their .lua files when a store is created (never at import).
import { readFileSync } from 'node:fs';

export function readScript(
  name: 'apply' | 'gauges' | 'scope-gauges' | 'changes' | 'series',
): string {
  return readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');
}
