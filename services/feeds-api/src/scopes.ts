// Turning a route's organisation kind and code into a figure scope, with 404s that say why: an
// unknown code, or a known one that was not in force on the date (or anywhere in the range) read.
import type { Scope } from '@pulse/kpi';
import type { RefData } from '@pulse/refdata';
import { ApiError } from './errors.js';

export type ScopeKind = Scope['kind'];

/** A scope as responses describe it. */
export interface ScopeInfo {
  kind: ScopeKind;
  code?: string;
  name: string;
}

export interface ResolvedScope {
  scope: Scope;
  info: ScopeInfo;
}

const LABEL: Record<Exclude<ScopeKind, 'england'>, string> = {
  trust: 'trust',
  icb: 'ICB',
  region: 'region',
};

interface Known {
  name: string;
  /** First and last London dates in force (inclusive; null = open-ended). */
  from: string;
  to: string | null;
  /** Refines "in force" for one date (a trust also needs an ICB that day). */
  onDate?: (date: string) => string | undefined;
}

function lookup(refdata: RefData, kind: Exclude<ScopeKind, 'england'>, code: string): Known {
  const unknown = () =>
    new ApiError('UNKNOWN_ORGANISATION', `There is no ${LABEL[kind]} with code ${code}.`);
  if (kind === 'trust') {
    const trust = refdata.trust(code);
    if (!trust) throw unknown();
    return {
      name: trust.name,
      from: trust.openDate,
      to: trust.closeDate,
      onDate(date) {
        const r = refdata.resolveProvider(code, date);
        return r.status === 'before-coverage'
          ? `belongs to no ICB on ${date}: ICBs start on ${r.coverageFrom}`
          : undefined;
      },
    };
  }
  if (kind === 'icb') {
    const icb = refdata.icb(code);
    if (!icb) throw unknown();
    return { name: icb.name, from: icb.validFrom, to: icb.validTo };
  }
  const region = refdata.region(code);
  if (!region) throw unknown();
  return {
    name: region.name,
    from: refdata.coverageFrom,
    to: null,
  };
}

function window(known: Known): string {
  return known.to === null ? `from ${known.from}` : `from ${known.from} to ${known.to}`;
}

function resolved(kind: ScopeKind, code: string, name: string): ResolvedScope {
  if (kind === 'england') return { scope: { kind }, info: { kind, name: 'England' } };
  return { scope: { kind, code }, info: { kind, code, name } };
}

/** The scope on one London date; 404 if unknown or not in force that day. */
export function scopeOn(
  refdata: RefData,
  kind: ScopeKind,
  code: string,
  date: string,
): ResolvedScope {
  if (kind === 'england') return resolved(kind, code, 'England');
  const known = lookup(refdata, kind, code);
  const label = `${LABEL[kind]} ${code} (${known.name})`;
  if (date < known.from || (known.to !== null && date > known.to)) {
    throw new ApiError(
      'NOT_IN_FORCE',
      `The ${label} is in force ${window(known)}, not on ${date}.`,
    );
  }
  const why = known.onDate?.(date);
  if (why) throw new ApiError('NOT_IN_FORCE', `The ${label} ${why}.`);
  return resolved(kind, code, known.name);
}

/** The scope over London dates [first, last]; 404 if unknown or in force on none of them. */
export function scopeBetween(
  refdata: RefData,
  kind: ScopeKind,
  code: string,
  first: string,
  last: string,
): ResolvedScope {
  if (kind === 'england') return resolved(kind, code, 'England');
  const known = lookup(refdata, kind, code);
  if (last < known.from || (known.to !== null && first > known.to)) {
    throw new ApiError(
      'NOT_IN_FORCE',
      `The ${LABEL[kind]} ${code} (${known.name}) is in force ${window(known)}, not between ${first} and ${last}.`,
    );
  }
  return resolved(kind, code, known.name);
}
