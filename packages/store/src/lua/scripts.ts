// The store's Lua scripts, read from their .lua files when a store is created (never at import).
import { readFileSync } from 'node:fs';

export function readScript(
  name: 'apply' | 'gauges' | 'scope-gauges' | 'changes' | 'series' | 'sample',
): string {
  return readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');
}

/** The apply script: lua/sample.lua's gauge-sample op (G), then lua/apply.lua. */
export function applyScript(): string {
  return `${readScript('sample')}\n${readScript('apply')}`;
}
