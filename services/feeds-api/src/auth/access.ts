// Who sees which scope exactly. National figures are exact for everyone; a national token sees
// every scope exactly; an ICB token sees its ICB(s) exactly, and a trust exactly when the trust
// belongs to one of them on every London date the response covers (the structure in force on each
// date, so a trust that moved in the April 2026 mergers is its new ICB's from 1 April only).
// Everything else is the public tier: disclosure-controlled.
import type { RefData } from '@pulse/refdata';
import type { Principal } from './verifier.js';

export type Disclosure = 'exact' | 'controlled';

export interface ScopeRef {
  kind: 'england' | 'region' | 'icb' | 'trust';
  code?: string;
}

const DAY_MS = 86_400_000;

/** The calendar dates first..last inclusive (YYYY-MM-DD). */
function* datesBetween(first: string, last: string): Generator<string> {
  for (let ms = Date.parse(`${first}T00:00:00Z`); ; ms += DAY_MS) {
    const date = new Date(ms).toISOString().slice(0, 10);
    if (date > last) return;
    yield date;
  }
}

/**
 * The disclosure level of a response about `scope` covering London dates first..last, for this
 * principal.
 */
export function disclosureFor(
  principal: Principal,
  scope: ScopeRef,
  first: string,
  last: string,
  refdata: RefData,
): Disclosure {
  if (scope.kind === 'england') return 'exact';
  if (principal.kind === 'public') return 'controlled';
  if (principal.role === 'national') return 'exact';
  if (principal.role !== 'icb' || scope.code === undefined) return 'controlled';
  const granted = new Set(principal.icbs);
  if (scope.kind === 'icb') return granted.has(scope.code) ? 'exact' : 'controlled';
  if (scope.kind !== 'trust') return 'controlled';
  for (const date of datesBetween(first, last)) {
    const resolved = refdata.resolveProvider(scope.code, date);
    if (resolved.status !== 'ok' || !granted.has(resolved.icb.code)) return 'controlled';
  }
  return 'exact';
}
