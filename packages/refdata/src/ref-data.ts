import { addDays, assertIsoDate, inWindow } from './dates.js';
import { RefDataError } from './errors.js';
import { expectedToReport, FIGURE_FAMILIES, TRUST_KINDS, type FigureFamily } from './kinds.js';
import type { Membership, Tables } from './tables.js';
import type {
  Icb,
  LondonDate,
  ProviderResolution,
  RefData,
  Region,
  Scope,
  Trust,
} from './types.js';

/** Dates kept in each per-date cache; the oldest is dropped beyond this (events span ~2 weeks). */
const MAX_CACHED_DATES = 64;

const UNKNOWN: ProviderResolution = Object.freeze({ status: 'unknown' });
const NONE: readonly Trust[] = Object.freeze([]);

/** The structure in force on one date. */
interface Day {
  readonly regions: readonly Region[];
  readonly icbs: readonly Icb[];
  readonly trusts: readonly Trust[];
  readonly trustsByIcb: ReadonlyMap<string, readonly Trust[]>;
  readonly trustsByRegion: ReadonlyMap<string, readonly Trust[]>;
  /** trustsExpectedToReport answers, by scope and family, computed on first use. */
  readonly expected: Map<string, readonly Trust[]>;
}

function byCode<T>(items: readonly T[], code: (item: T) => string, what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(code(item)))
      throw new RefDataError('REFDATA_INVALID', `duplicate ${what} ${code(item)}`);
    map.set(code(item), Object.freeze(item));
  }
  return map;
}

function checkedTrust(trust: Trust): Trust {
  if (!TRUST_KINDS.includes(trust.kind)) {
    throw new RefDataError(
      'REFDATA_INVALID',
      `trust ${trust.odsCode} has unknown kind ${trust.kind}`,
    );
  }
  return { ...trust, aeTypes: Object.freeze([...trust.aeTypes]) };
}

/** Get from a per-date cache, computing and inserting on a miss; bounded to MAX_CACHED_DATES. */
function cached<V>(
  cache: Map<LondonDate, V>,
  date: LondonDate,
  compute: (date: LondonDate) => V,
): V {
  const hit = cache.get(date);
  if (hit !== undefined) return hit;
  const value = compute(assertIsoDate(date, 'londonDate'));
  if (cache.size >= MAX_CACHED_DATES) cache.delete(cache.keys().next().value!);
  cache.set(date, value);
  return value;
}

function group(
  trusts: readonly Trust[],
  key: (trust: Trust) => string,
): Map<string, readonly Trust[]> {
  const groups = new Map<string, Trust[]>();
  for (const trust of trusts) {
    const k = key(trust);
    const list = groups.get(k);
    if (list) list.push(trust);
    else groups.set(k, [trust]);
  }
  for (const list of groups.values()) Object.freeze(list);
  return groups;
}

/** Builds the effective-dated hierarchy from derived tables (checked for dangling codes). */
export function createRefData(tables: Tables): RefData {
  const regions = byCode(tables.regions, (r) => r.code, 'region');
  const icbs = byCode(tables.icbs, (i) => i.code, 'ICB');
  const trusts = byCode(tables.trusts.map(checkedTrust), (t) => t.odsCode, 'trust');
  const memberships = new Map<string, Membership[]>();
  for (const icb of icbs.values()) {
    if (!regions.has(icb.regionCode)) {
      throw new RefDataError(
        'REFDATA_INVALID',
        `ICB ${icb.code} has unknown region ${icb.regionCode}`,
      );
    }
  }
  for (const m of tables.memberships) {
    if (!trusts.has(m.odsCode) || !icbs.has(m.icbCode)) {
      throw new RefDataError(
        'REFDATA_INVALID',
        `membership ${m.odsCode} -> ${m.icbCode} names an unknown code`,
      );
    }
    const list = memberships.get(m.odsCode);
    if (list) list.push(m);
    else memberships.set(m.odsCode, [m]);
  }
  const coverageFrom = [...icbs.values()].reduce(
    (min, i) => (i.validFrom < min ? i.validFrom : min),
    '9999-12-31',
  );

  // Starts of validity and the days after ends: the only dates resolve's answer can change on.
  const changes = new Set<LondonDate>([coverageFrom]);
  const starting = (from: LondonDate, to: LondonDate | null) => {
    changes.add(from);
    if (to !== null) changes.add(addDays(to, 1));
  };
  for (const t of trusts.values()) starting(t.openDate, t.closeDate);
  for (const i of icbs.values()) starting(i.validFrom, i.validTo);
  for (const list of memberships.values()) for (const m of list) starting(m.validFrom, m.validTo);
  const structureChanges = Object.freeze([...changes].filter((d) => d >= coverageFrom).sort());

  function resolve(trust: Trust, date: LondonDate): ProviderResolution {
    if (date < trust.openDate) return { status: 'not-open', trust, opens: trust.openDate };
    if (trust.closeDate !== null && date > trust.closeDate)
      return { status: 'closed', trust, closed: trust.closeDate };
    const m = memberships.get(trust.odsCode)?.find((w) => inWindow(date, w.validFrom, w.validTo));
    if (!m) return { status: 'before-coverage', trust, coverageFrom };
    const icb = icbs.get(m.icbCode)!;
    return { status: 'ok', trust, icb, region: regions.get(icb.regionCode)! };
  }

  const resolutions = new Map<LondonDate, Map<string, ProviderResolution>>();
  const days = new Map<LondonDate, Day>();

  function resolveProvider(ods: string, date: LondonDate): ProviderResolution {
    const trust = trusts.get(ods);
    // Unknown codes are not cached: bad data must not grow the cache.
    if (!trust) return UNKNOWN;
    const forDate = cached(resolutions, date, () => new Map<string, ProviderResolution>());
    let resolution = forDate.get(ods);
    if (!resolution) {
      resolution = Object.freeze(resolve(trust, date));
      forDate.set(ods, resolution);
    }
    return resolution;
  }

  function buildDay(date: LondonDate): Day {
    const open: Trust[] = [];
    const regionOf = new Map<string, string>();
    const icbOf = new Map<string, string>();
    for (const trust of trusts.values()) {
      const r = resolveProvider(trust.odsCode, date);
      if (r.status !== 'ok') continue;
      open.push(trust);
      icbOf.set(trust.odsCode, r.icb.code);
      regionOf.set(trust.odsCode, r.region.code);
    }
    const sortedBy = <T>(items: Iterable<T>, code: (item: T) => string) =>
      Object.freeze([...items].sort((a, b) => (code(a) < code(b) ? -1 : 1)));
    const inForce = sortedBy(
      [...icbs.values()].filter((i) => inWindow(date, i.validFrom, i.validTo)),
      (i) => i.code,
    );
    const regionCodes = new Set(inForce.map((i) => i.regionCode));
    return {
      regions: sortedBy(
        [...regions.values()].filter((r) => regionCodes.has(r.code)),
        (r) => r.code,
      ),
      icbs: inForce,
      trusts: sortedBy(open, (t) => t.odsCode),
      trustsByIcb: group(open, (t) => icbOf.get(t.odsCode)!),
      trustsByRegion: group(open, (t) => regionOf.get(t.odsCode)!),
      expected: new Map(),
    };
  }

  const day = (date: LondonDate) => cached(days, date, buildDay);

  function trustsInScope(scope: Scope, date: LondonDate): readonly Trust[] {
    const d = day(date);
    if (scope.kind === 'england') return d.trusts;
    return (scope.kind === 'icb' ? d.trustsByIcb : d.trustsByRegion).get(scope.code) ?? NONE;
  }

  function trustsExpectedToReport(
    scope: Scope,
    date: LondonDate,
    family: FigureFamily,
  ): readonly Trust[] {
    if (!FIGURE_FAMILIES.includes(family)) {
      throw new RefDataError('REFDATA_INVALID', `unknown figure family ${String(family)}`);
    }
    const d = day(date);
    const key = `${scope.kind}:${scope.kind === 'england' ? '' : scope.code}:${family}`;
    let answer = d.expected.get(key);
    if (!answer) {
      answer = Object.freeze(trustsInScope(scope, date).filter((t) => expectedToReport(t, family)));
      d.expected.set(key, answer);
    }
    return answer;
  }

  return {
    coverageFrom,
    structureChanges,
    resolveProvider,
    regions: (date) => day(date).regions,
    icbs: (date) => day(date).icbs,
    trusts: (date) => day(date).trusts,
    trust: (ods) => trusts.get(ods),
    icb: (code) => icbs.get(code),
    region: (code) => regions.get(code),
    trustsInScope,
    trustsExpectedToReport,
  };
}
