// The reference semantics of applying accepted events, in memory: what the Redis script must do,
// written as plainly as possible. Criteria to reside are judged by event time (a spell keeps its
// history of changes; a late change corrects its discharge's count). Tests compare it with the brute-force oracle; the store's own
// tests can compare the Redis state with it.
import {
  AGE_GROUPS,
  GAUGE_OVER,
  addToSplit,
  bucketsOf,
  emptyCounterFigures,
  emptyGaugeFigures,
  inStateWindow,
  isOver,
  scopesOf,
  type AgeGroup,
  type Attribution,
  type BedFigures,
  type BucketSize,
  type CounterFigure,
  type CounterFigures,
  type CounterIncrement,
  type EventEffects,
  type FigureFamily,
  type GaugeFigures,
  type StateOp,
  type StateWindow,
} from '@pulse/kpi';

/** One trust's live state, as the `g:*` keys hold it. */
export interface TrustState {
  /** Open attendances / pathways: id → score, per age group (`g:ed:<ods>:<group>`, `g:rtt:…`). */
  open: Record<'ed' | 'rtt', Record<AgeGroup, Map<string, number>>>;
  /** Closed ids → close time (`g:closed:<ed|rtt|spell>:<ods>`). */
  closed: Record<'ed' | 'rtt' | 'spell', Map<string, number>>;
  /** Spells not meeting the criteria to reside → when that changed, per age group (`g:nmctr:…`). */
  ctr: Record<AgeGroup, Map<string, number>>;
  /** `<site>:<bedType>` → newest snapshot (`g:beds:<ods>`). */
  beds: Map<string, { at: number; open: number; occupied: number }>;
  /** Spell id → its criteria-to-reside changes in apply order and first discharge (`g:spell:<ods>`). */
  spells: Map<string, SpellRecord>;
}

interface SpellRecord {
  changes: { at: number; meets: boolean; group: AgeGroup }[];
  discharge?: {
    at: number;
    counted: boolean;
    keys: readonly string[];
    increments: readonly CounterIncrement[];
  };
}

/** The change in force at `at` by event time: the latest at or before it, a tie to the later applied. */
function inForce(spell: SpellRecord, at: number) {
  let found: SpellRecord['changes'][number] | undefined;
  for (const change of spell.changes)
    if (change.at <= at && (!found || change.at >= found.at)) found = change;
  return found;
}

/** A discharge at `at` is of a spell not meeting: the change in force then says so, within the window. */
function notMeetingAt(spell: SpellRecord, at: number): boolean {
  const change = inForce(spell, at);
  return change !== undefined && !change.meets && inStateWindow('ctr', change.at, at);
}

export interface MemoryStore {
  /** `<scope>:<size>:<bucket>` → `<figure>:<group>` → count, as the `c:*` hashes hold them. */
  counters: Map<string, Map<string, number>>;
  /** Scope → newest occurredAt applied. */
  fresh: Map<string, number>;
  /** `<ods>:<family>` → newest occurredAt of the trust's events of that family. */
  familyFresh: Map<string, number>;
  /** `<scope>:<size>:<bucket>` → family → the trusts that reported it there. */
  reported: Map<string, Map<FigureFamily, Set<string>>>;
  /** Provider ODS → live state. */
  trusts: Map<string, TrustState>;
}

export function createMemoryStore(): MemoryStore {
  return {
    counters: new Map(),
    fresh: new Map(),
    familyFresh: new Map(),
    reported: new Map(),
    trusts: new Map(),
  };
}

const perGroup = <T>(make: () => T): Record<AgeGroup, T> => ({
  child: make(),
  adult: make(),
  unknown: make(),
});

function trustState(store: MemoryStore, ods: string): TrustState {
  let state = store.trusts.get(ods);
  if (state === undefined) {
    state = {
      open: { ed: perGroup(() => new Map()), rtt: perGroup(() => new Map()) },
      closed: { ed: new Map(), rtt: new Map(), spell: new Map() },
      ctr: perGroup(() => new Map()),
      beds: new Map(),
      spells: new Map(),
    };
    store.trusts.set(ods, state);
  }
  return state;
}

export function counterKey(scope: string, size: BucketSize, bucketId: string): string {
  return `${scope}:${size}:${bucketId}`;
}

function count(
  store: MemoryStore,
  keys: readonly string[],
  increments: readonly CounterIncrement[],
) {
  for (const key of keys) {
    let hash = store.counters.get(key);
    if (hash === undefined) store.counters.set(key, (hash = new Map()));
    for (const { figure, group, by } of increments) {
      const field = `${figure}:${group}`;
      hash.set(field, (hash.get(field) ?? 0) + by);
    }
  }
}

/**
 * Applies one state op to a trust's state, counting what it triggers: a discharge's not-meeting
 * count in `keys` (the event's scopes and buckets), or a late change's correction of an earlier
 * discharge in that discharge's keys.
 */
function applyOp(store: MemoryStore, state: TrustState, op: StateOp, keys: readonly string[]) {
  switch (op.op) {
    case 'open':
      // Ignored once closed (the departure or stop came first). Otherwise the id lives in its
      // group's set only: a repeated open with another group moves it.
      if (state.closed[op.set].has(op.id)) return;
      for (const g of AGE_GROUPS) state.open[op.set][g].delete(op.id);
      state.open[op.set][op.group].set(op.id, op.score);
      return;
    case 'close':
      for (const g of AGE_GROUPS) state.open[op.set][g].delete(op.id);
      state.closed[op.set].set(op.id, op.at);
      return;
    case 'ctr': {
      let spell = state.spells.get(op.spellId);
      if (!spell) state.spells.set(op.spellId, (spell = { changes: [] }));
      const { discharge } = spell;
      if (discharge && op.at > discharge.at) return; // after the discharge: no bearing
      spell.changes.push({ at: op.at, meets: op.meets, group: op.group });
      if (discharge) {
        // Late news of the time before the discharge: judge it again, correct its count.
        const counted = notMeetingAt(spell, discharge.at);
        if (counted !== discharge.counted) {
          const sign = counted ? 1 : -1;
          const increments = discharge.increments.map((i) => ({ ...i, by: sign * i.by }));
          count(store, discharge.keys, increments);
          discharge.counted = counted;
        }
        return;
      }
      const latest = inForce(spell, Infinity)!;
      for (const g of AGE_GROUPS) state.ctr[g].delete(op.spellId);
      if (!latest.meets) state.ctr[latest.group].set(op.spellId, latest.at);
      return;
    }
    case 'discharge': {
      let spell = state.spells.get(op.spellId);
      if (!spell) state.spells.set(op.spellId, (spell = { changes: [] }));
      if (!spell.discharge) {
        const counted = notMeetingAt(spell, op.at);
        if (counted) count(store, keys, op.ifNotMeeting);
        spell.discharge = { at: op.at, counted, keys, increments: op.ifNotMeeting };
      }
      for (const g of AGE_GROUPS) state.ctr[g].delete(op.spellId);
      state.closed.spell.set(op.spellId, op.at);
      return;
    }
    case 'beds': {
      const slot = `${op.siteOds}:${op.bedType}`;
      const stored = state.beds.get(slot);
      if (stored === undefined || op.at >= stored.at) {
        state.beds.set(slot, { at: op.at, open: op.open, occupied: op.occupied });
      }
      return;
    }
  }
}

/**
 * Applies one accepted (not duplicate) event, in partition order: its counters to each of its
 * four scopes in each of its three buckets, freshness, then its state ops in order (a discharge's
 * `ifNotMeeting` increments go to the same scopes and buckets).
 */
export function applyInMemory(
  store: MemoryStore,
  attribution: Attribution,
  occurredAt: number,
  effects: EventEffects,
): void {
  const scopes = scopesOf(attribution);
  const keys = scopes.flatMap((scope) =>
    bucketsOf(occurredAt).map((b) => counterKey(scope, b.size, b.id)),
  );
  count(store, keys, effects.counters);
  for (const scope of scopes) {
    store.fresh.set(scope, Math.max(store.fresh.get(scope) ?? -Infinity, occurredAt));
  }
  const familyKey = `${attribution.trust}:${effects.family}`;
  store.familyFresh.set(
    familyKey,
    Math.max(store.familyFresh.get(familyKey) ?? -Infinity, occurredAt),
  );
  for (const key of keys) {
    let families = store.reported.get(key);
    if (families === undefined) store.reported.set(key, (families = new Map()));
    let trusts = families.get(effects.family);
    if (trusts === undefined) families.set(effects.family, (trusts = new Set()));
    trusts.add(attribution.trust);
  }
  const state = trustState(store, attribution.trust);
  for (const op of effects.state) applyOp(store, state, op, keys);
}

/** A scope's counters in one bucket, read back as figures. */
export function memoryCounters(
  store: MemoryStore,
  scope: string,
  size: BucketSize,
  bucketId: string,
): CounterFigures {
  const figures = emptyCounterFigures();
  for (const [field, n] of store.counters.get(counterKey(scope, size, bucketId)) ?? []) {
    const [figure, group] = field.split(':') as [CounterFigure, AgeGroup];
    addToSplit(figures[figure], group, n);
  }
  return figures;
}

/** How many trusts of a scope reported a family in one bucket (a series point's coverage). */
export function memoryReported(
  store: MemoryStore,
  scope: string,
  size: BucketSize,
  bucketId: string,
  family: FigureFamily,
): number {
  return store.reported.get(counterKey(scope, size, bucketId))?.get(family)?.size ?? 0;
}

/** The live gauges summed over some trusts, as of an instant (state within its window only). */
export function memoryGauges(
  store: MemoryStore,
  trusts: Iterable<string>,
  asOf: number,
): { gauges: GaugeFigures; beds: BedFigures } {
  const gauges = emptyGaugeFigures();
  const beds: BedFigures = { ga_beds_open: 0, ga_beds_occupied: 0 };
  for (const ods of trusts) {
    const state = store.trusts.get(ods);
    if (state === undefined) continue;
    const live = (kind: StateWindow, scores: Iterable<number>) =>
      [...scores].filter((score) => inStateWindow(kind, score, asOf));
    for (const g of AGE_GROUPS) {
      const ed = live('ed', state.open.ed[g].values());
      const rtt = live('rtt', state.open.rtt[g].values());
      addToSplit(gauges.ed_in_department, g, ed.length);
      addToSplit(gauges.rtt_waiting, g, rtt.length);
      addToSplit(gauges.ctr_not_meeting, g, live('ctr', state.ctr[g].values()).length);
      for (const over of GAUGE_OVER) {
        for (const score of over.of === 'ed' ? ed : rtt) {
          if (isOver(score, asOf, over)) addToSplit(gauges[over.figure], g, 1);
        }
      }
    }
    for (const [slot, snapshot] of state.beds) {
      if (!slot.endsWith(':GENERAL_ACUTE')) continue;
      beds.ga_beds_open += snapshot.open;
      beds.ga_beds_occupied += snapshot.occupied;
    }
  }
  return { gauges, beds };
}
