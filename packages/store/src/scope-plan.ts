// The plan's part of gauge state per scope (scope-structure.ts): which scope keys each state op
// also writes, and the partition's marker. Pure, like plan.ts.
import type { BED_TYPES } from '@pulse/contracts';
import { AGE_GROUPS, type StateOp } from '@pulse/kpi';
import { scopeGaugeKeys, type OpenSet } from './keys.js';
import type { ScopeStructure } from './scope-structure.js';

/** Only general and acute beds count in the gauges (as gauges.lua reads a trust's beds). */
const GA_BEDS: (typeof BED_TYPES)[number] = 'GENERAL_ACUTE';

/**
 * The scope keys a state op also writes, as apply.lua's `W` op gives them to the next op:
 * sorted sets in threes (one per age group, AGE_GROUPS order) for open, close, ctr and discharge
 * ops, beds total hashes for a G&A beds op. Members are `<prefix><id>`.
 */
export interface ScopeMirror {
  prefix: string;
  keys: string[];
}

/** The partition's marker (apply.lua `V`): written before anything else in the apply. */
export interface ScopeMarker {
  key: string;
  /** The structure's fingerprint the groups are kept under. */
  structure: string;
  /** The batch's record time: the marker keeps the newest. */
  clock: number;
}

/** Registers scope sets for the trims after the ops (the trust sets' trims, same instants). */
export interface ScopeTrim {
  open(set: OpenSet, keys: readonly [string, string, string]): void;
  ctr(keys: readonly [string, string, string]): void;
}

type Triple = [string, string, string];
const byAge = (key: (age: (typeof AGE_GROUPS)[number]) => string): Triple => [
  key(AGE_GROUPS[0]!),
  key(AGE_GROUPS[1]!),
  key(AGE_GROUPS[2]!),
];

/** Builds the scope keys of one plan: a partition, a structure and a record time. */
export function scopePlanner(partition: string, structure: ScopeStructure, clock: number) {
  const keys = scopeGaugeKeys(partition);
  return {
    marker: { key: keys.marker, structure: structure.fingerprint, clock } as ScopeMarker,
    /** The keys `op` of trust `ods` also writes, or undefined when it writes none. */
    mirrorOf(op: StateOp, ods: string, trim: ScopeTrim): ScopeMirror | undefined {
      const groups = structure.groupsOf(ods, clock);
      if (groups.length === 0) return undefined;
      const out: string[] = [];
      for (const { id } of groups) {
        switch (op.op) {
          case 'open':
          case 'close': {
            const set = byAge((age) => keys.open(op.set, id, age));
            trim.open(op.set, set);
            out.push(...set);
            break;
          }
          case 'ctr':
          case 'discharge': {
            const set = byAge((age) => keys.ctr(id, age));
            trim.ctr(set);
            out.push(...set);
            break;
          }
          case 'beds':
            if (op.bedType !== GA_BEDS) return undefined;
            out.push(keys.beds(id));
            break;
        }
      }
      return { prefix: `${ods}:`, keys: out };
    },
  };
}
export type ScopePlanner = ReturnType<typeof scopePlanner>;
