// Gauge state per scope: which of a scope's gauge key groups a trust's state ops also write, and
// which one a read of the scope on a London date reads (docs/aggregation.md "Gauges per scope").
//
// A group is a scope with one membership: `<scope key>.<hash of its trusts' ODS codes>`. The
// reference data's structure changes (@pulse/refdata structureChanges) cut time into periods of
// constant membership; a scope whose trusts are the same in two periods has one group for both.
// A batch of record time `clock` writes the groups of every period not ended by `clock`, so a
// group holds every op applied since the partition's first apply until its last period ends, and
// a read for a date reads that date's group, while the partition's record time is before `until`.
import { createHash } from 'node:crypto';
import { ENGLAND_SCOPE_KEY, scopeKey, type Scope } from '@pulse/kpi';
import { londonDaySpan, type LondonDate, type RefData } from '@pulse/refdata';

export interface ScopeGroup {
  /** `<scope key>.<membership hash>`: names the group's keys (keys.ts scopeGaugeKeys). */
  id: string;
  /** Record time (epoch ms) from which no batch writes the group: its last period's end. */
  until: number;
}

interface Period {
  /** Epoch ms the period ends (the next change's London midnight), Infinity for the last. */
  end: number;
  /** Trust -> the groups of its ICB, region and England in the period. */
  groupsOfTrust: Map<string, ScopeGroup[]>;
  /** Scope key -> its group in the period. */
  groupOfScope: Map<string, ScopeGroup>;
  from: LondonDate;
}

export interface ScopeStructure {
  /** Names the whole structure: a partition written under another cannot be read by this one. */
  fingerprint: string;
  /** The groups a trust's state ops write in a batch of record time `clock` (no duplicates). */
  groupsOf(ods: string, clock: number): readonly ScopeGroup[];
  /** The group of an ICB, region or England on a London date; undefined before coverage. */
  groupOn(scope: Scope, londonDate: LondonDate): ScopeGroup | undefined;
}

const hash = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

function buildStructure(refdata: RefData): ScopeStructure {
  const changes = refdata.structureChanges;
  const groups = new Map<string, ScopeGroup>();
  const periods: Period[] = changes.map((from, i) => {
    const next = changes[i + 1];
    const end = next === undefined ? Infinity : londonDaySpan(next).start;
    const members = new Map<string, string[]>();
    const trustScopes = new Map<string, string[]>();
    for (const trust of refdata.trusts(from)) {
      const r = refdata.resolveProvider(trust.odsCode, from);
      if (r.status !== 'ok') continue;
      const scopes = [`i:${r.icb.code}`, `r:${r.region.code}`, ENGLAND_SCOPE_KEY];
      trustScopes.set(trust.odsCode, scopes);
      for (const scope of scopes) {
        const list = members.get(scope);
        if (list) list.push(trust.odsCode);
        else members.set(scope, [trust.odsCode]);
      }
    }
    const groupOfScope = new Map<string, ScopeGroup>();
    for (const [scope, trusts] of members) {
      const id = `${scope}.${hash(trusts.sort().join(','), 12)}`;
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { id, until: end }));
      group.until = Math.max(group.until, end);
      groupOfScope.set(scope, group);
    }
    const groupsOfTrust = new Map<string, ScopeGroup[]>();
    for (const [ods, scopes] of trustScopes)
      groupsOfTrust.set(
        ods,
        scopes.map((scope) => groupOfScope.get(scope)!),
      );
    return { from, end, groupsOfTrust, groupOfScope };
  });
  const fingerprint = hash(
    periods.map((p) => `${p.from}=${[...p.groupOfScope.values()].map((g) => g.id).join()}`).join(),
    16,
  );

  // Per (first open period, trust): the groups written. Periods still open form a suffix.
  const cache = new Map<string, readonly ScopeGroup[]>();
  const firstOpen = (clock: number) => {
    let lo = 0;
    let hi = periods.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (periods[mid]!.end > clock) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return {
    fingerprint,
    groupsOf(ods, clock) {
      const first = firstOpen(clock);
      const key = `${first}\0${ods}`;
      let found = cache.get(key);
      if (!found) {
        const set = new Set<ScopeGroup>();
        for (const period of periods.slice(first))
          for (const group of period.groupsOfTrust.get(ods) ?? []) set.add(group);
        cache.set(key, (found = [...set]));
      }
      return found;
    },
    groupOn(scope, londonDate) {
      let at = -1;
      for (let i = 0; i < periods.length && periods[i]!.from <= londonDate; i++) at = i;
      return at < 0 ? undefined : periods[at]!.groupOfScope.get(scopeKey(scope));
    },
  };
}

const built = new WeakMap<RefData, ScopeStructure>();

/** The scope structure of some reference data, built once per RefData object. */
export function scopeStructureOf(refdata: RefData): ScopeStructure {
  let structure = built.get(refdata);
  if (!structure) built.set(refdata, (structure = buildStructure(refdata)));
  return structure;
}
