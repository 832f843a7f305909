// Hand-built plan items: effects written out, so each test shows exactly what it applies.
import type { AgeGroup, CounterIncrement, FigureFamily, StateOp } from '@pulse/kpi';
import { bucketsOf, FIGURE_FAMILY } from '@pulse/kpi';
import type { PlanItem } from '../../src/index.js';

export const TRUST = 'RXX';
export const ATTRIBUTION = { trust: TRUST, icb: 'QAA', region: 'Y01' };

let counter = 0;

/** The family effectsOf would give: that of its first counter, else of its first state op. */
function familyOf(counters: CounterIncrement[], state: StateOp[]): FigureFamily {
  if (counters[0]) return FIGURE_FAMILY[counters[0].figure];
  const op = state[0];
  if (op?.op === 'open' || op?.op === 'close') return op.set === 'ed' ? 'ae' : 'rtt';
  return op?.op === 'beds' ? 'beds' : 'inpatient';
}

export function item(
  occurredAt: number,
  counters: CounterIncrement[],
  state: StateOp[] = [],
  overrides: Partial<PlanItem> = {},
): PlanItem {
  return {
    eventId: `ev-${++counter}`,
    providerOds: TRUST,
    occurredAt,
    attribution: ATTRIBUTION,
    buckets: bucketsOf(occurredAt),
    effects: { family: familyOf(counters, state), counters, state },
    ...overrides,
  };
}

export const one = (
  figure: CounterIncrement['figure'],
  group: AgeGroup = 'adult',
): CounterIncrement => ({
  figure,
  group,
  by: 1,
});
