// Reads of the feeds API on the page's own origin, with the user's token when one is given.
import { pointValue, type AgeView, type Snapshot, type Split, type Value } from './figures.js';

export type ScopeKind = 'england' | 'region' | 'icb' | 'trust';
export interface ScopeRef {
  kind: ScopeKind;
  code?: string;
}

const PLURAL: Record<Exclude<ScopeKind, 'england'>, string> = {
  region: 'regions',
  icb: 'icbs',
  trust: 'trusts',
};

/** `/v1/england` or `/v1/{regions,icbs,trusts}/{code}`. */
export function scopePath(scope: ScopeRef): string {
  if (scope.kind === 'england') return '/v1/england';
  return `/v1/${PLURAL[scope.kind]}/${encodeURIComponent(scope.code ?? '')}`;
}

/** The page's address of a scope (hash routes, so the static server needs no rewrites). */
export function scopeHash(scope: ScopeRef): string {
  return scope.kind === 'england' ? '#/' : `#/${PLURAL[scope.kind]}/${scope.code}`;
}

export function scopeFromHash(hash: string): ScopeRef {
  const match = /^#\/(regions|icbs|trusts)\/([A-Za-z0-9]{1,20})$/.exec(hash);
  if (!match) return { kind: 'england' };
  const kind = (Object.keys(PLURAL) as (keyof typeof PLURAL)[]).find(
    (k) => PLURAL[k] === match[1],
  )!;
  return { kind, code: match[2]!.toUpperCase() };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

export async function getJson<T>(path: string, token: string | null): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { headers });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
    throw new ApiError(res.status, problem.detail ?? problem.title ?? res.statusText);
  }
  return (await res.json()) as T;
}

export interface Region {
  code: string;
  name: string;
}
export interface Icb {
  code: string;
  name: string;
  regionCode: string;
}
export interface Trust {
  code: string;
  name: string;
  icbCode: string;
  regionCode: string;
  kind: string;
}
export interface Structure {
  date: string;
  regions: Region[];
  icbs: Icb[];
  trusts: Trust[];
}

/** The organisation structure in force today (London), three public lists. */
export async function loadStructure(): Promise<Structure> {
  const [r, i, t] = await Promise.all([
    getJson<{ date: string; regions: Region[] }>('/v1/organisations/regions', null),
    getJson<{ icbs: Icb[] }>('/v1/organisations/icbs', null),
    getJson<{ trusts: Trust[] }>('/v1/organisations/trusts', null),
  ]);
  return { date: r.date, regions: r.regions, icbs: i.icbs, trusts: t.trusts };
}

export const getSnapshot = (scope: ScopeRef, token: string | null) =>
  getJson<Snapshot>(`${scopePath(scope)}/snapshot`, token);

interface SeriesBody {
  /**
   * `value` is null for a bucket nothing is known of (not begun, or no provider reported); one
   * number for a figure with no age split (G&A beds).
   */
  points: { start: string; end: string; value: Split | number | null }[];
}

/**
 * Values of one metric over a London day (`date` to the next) for one age view: per hour (a
 * counter) or at each 15-minute end (a gauge's history).
 */
export async function daySeries(
  scope: ScopeRef,
  metric: string,
  date: string,
  age: AgeView,
  token: string | null,
  interval: '1h' | '15m' = '1h',
): Promise<{ start: string; end: string; value: Value }[]> {
  const query = new URLSearchParams({ metric, interval, from: date, to: addDays(date, 1) });
  const body = await getJson<SeriesBody>(`${scopePath(scope)}/series?${query}`, token);
  return body.points.map((p) => ({ start: p.start, end: p.end, value: pointValue(p.value, age) }));
}

/** A calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** What a token says about itself (not verified here: the API verifies every request). */
export function describeToken(token: string): string {
  try {
    const payload = JSON.parse(
      atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
    ) as { role?: string; icbs?: string[]; sub?: string };
    if (payload.role === 'icb') return `ICB token for ${(payload.icbs ?? []).join(', ')}`;
    return `${payload.role ?? 'unknown'} token`;
  } catch {
    return 'token';
  }
}
