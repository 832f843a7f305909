// The Redis key layout of docs/aggregation.md, in one place for the writer and the reader.
// `<p>` = `<prefix>:{<topic>:<partition>}`: the hash tag puts a partition's keys in one slot.
import { DAY_MS, type AgeGroup, type BucketSize, type FigureFamily } from '@pulse/kpi';

/** Gauge state kinds that keep one sorted set per age group. */
export type OpenSet = 'ed' | 'rtt';
export type ClosedSet = OpenSet | 'spell';

export { partitionKey } from '@pulse/topology';

/** The UTC day ('YYYY-MM-DD') of an instant and the instant that day ends. */
export function utcDayOf(epochMs: number): { day: string; end: number } {
  const start = Math.floor(epochMs / DAY_MS) * DAY_MS;
  return { day: new Date(start).toISOString().slice(0, 10), end: start + DAY_MS };
}

/** Builds the keys of one partition. */
export function partitionKeys(p: string) {
  return {
    offset: `${p}:offset`,
    seen: (utcDay: string) => `${p}:seen:${utcDay}`,
    counters: (scope: string, size: BucketSize, bucketId: string) =>
      `${p}:c:${scope}:${size}:${bucketId}`,
    fresh: `${p}:fresh`,
    /** The change log: a stream of what each apply changed (change-log.ts). */
    changes: `${p}:changes`,
    dataQuality: (ods: string) => `${p}:dq:${ods}`,
    /** The trusts with gauge state in this partition (lets readers skip the other partitions). */
    trusts: `${p}:trusts`,
    open: (set: OpenSet, ods: string, group: AgeGroup) => `${p}:g:${set}:${ods}:${group}`,
    closed: (set: ClosedSet, ods: string) => `${p}:g:closed:${set}:${ods}`,
    /**
     * Spells not meeting the criteria to reside, scored by when that changed. `nmctr`, not the
     * `ctr` of the plain sets before it, so old sets can never meet a sorted-set command.
     */
    ctr: (ods: string, group: AgeGroup) => `${p}:g:nmctr:${ods}:${group}`,
    beds: (ods: string) => `${p}:g:beds:${ods}`,
    /** Spell id -> its criteria-to-reside history and discharge (apply.lua's readSpell). */
    spell: (ods: string) => `${p}:g:spell:${ods}`,
    /** Spell id -> the instant its record may go (pruned below clock - grace). */
    spellIndex: (ods: string) => `${p}:g:spellt:${ods}`,
  };
}
export type PartitionKeys = ReturnType<typeof partitionKeys>;

/** `<figure>:<group>`: the field of a counter hash. */
export function counterField(figure: string, group: AgeGroup): string {
  return `${figure}:${group}`;
}

/**
 * `reported:<family>`: in a trust's counter hash, 1 once the trust has reported the family in the
 * bucket; in an ICB, region or England hash, how many of its trusts have (the series' coverage).
 */
export function reportedField(family: FigureFamily): string {
  return `reported:${family}`;
}

/** `t:<ods>:<family>`: the field of the fresh hash holding a trust's newest event of a family. */
export function familyFreshField(ods: string, family: FigureFamily): string {
  return `t:${ods}:${family}`;
}

/**
 * Gauge state per scope (scope-structure.ts), in partition `p`: per group (`<scope>.<hash>`)
 * sorted sets mirroring its trusts' `g:ed`, `g:rtt` and `g:nmctr` sets (members `<ods>:<id>`,
 * the same scores) and its G&A beds totals; and the partition's marker: under which structure
 * the groups were kept from the partition's first apply, and the newest record time applied.
 */
export function scopeGaugeKeys(p: string) {
  return {
    marker: `${p}:gs`,
    open: (set: OpenSet, group: string, age: AgeGroup) => `${p}:gs:${set}:${group}:${age}`,
    ctr: (group: string, age: AgeGroup) => `${p}:gs:nmctr:${group}:${age}`,
    beds: (group: string) => `${p}:gs:beds:${group}`,
  };
}
export type ScopeGaugeKeys = ReturnType<typeof scopeGaugeKeys>;
