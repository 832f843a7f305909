// Who an event counts for (trust, ICB, region on its London date) and the scope keys of Redis.
import type { ActivityEvent } from '@pulse/contracts';
import { londonDateOf } from './buckets.js';
import type { Attribution, Scope } from './types.js';

/** A provider's ICB and region on a London date, or undefined if unknown or not open that day. */
export type Resolver = (
  ods: string,
  londonDate: string,
) => { icb: string; region: string } | undefined;

/**
 * The event's trust with the ICB and region it belonged to on the event's London date;
 * undefined means the organisation is unknown (reject as UNKNOWN_ORGANISATION).
 */
export function attribute(event: ActivityEvent, resolve: Resolver): Attribution | undefined {
  const parents = resolve(event.providerOds, londonDateOf(event.occurredAt));
  return parents && { trust: event.providerOds, icb: parents.icb, region: parents.region };
}

/** 'e', for England, the one scope every event counts for. */
export const ENGLAND_SCOPE_KEY = 'e';

/** The four scope keys an event counts for: `t:<ods>`, `i:<icb>`, `r:<region>`, `e`. */
export function scopesOf(attribution: Attribution): [string, string, string, string] {
  return [
    `t:${attribution.trust}`,
    `i:${attribution.icb}`,
    `r:${attribution.region}`,
    ENGLAND_SCOPE_KEY,
  ];
}

const PREFIX = { trust: 't', icb: 'i', region: 'r' } as const;
const KIND = { t: 'trust', i: 'icb', r: 'region' } as const;

/** A scope as used in keys: `t:<ods>`, `i:<icb>`, `r:<region>` or `e`. */
export function scopeKey(scope: Scope): string {
  return scope.kind === 'england' ? ENGLAND_SCOPE_KEY : `${PREFIX[scope.kind]}:${scope.code}`;
}

/** The scope a key names; throws a RangeError for anything scopeKey could not have written. */
export function parseScopeKey(key: string): Scope {
  if (key === ENGLAND_SCOPE_KEY) return { kind: 'england' };
  const m = /^([tir]):([^:]+)$/.exec(key);
  if (!m) throw new RangeError(`parseScopeKey: not a scope key: ${key}`);
  return { kind: KIND[m[1] as keyof typeof KIND], code: m[2]! };
}
