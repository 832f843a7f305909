// Hand-built plan items: effects written out, so each test shows exactly what it applies.
import type { AgeGroup, CounterIncrement, StateOp } from '@pulse/kpi';
import { bucketsOf } from '@pulse/kpi';
import type { PlanItem } from '../../src/index.js';

export const TRUST = 'RXX';
export const ATTRIBUTION = { trust: TRUST, icb: 'QAA', region: 'Y01' };

let counter = 0;

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
    effects: { counters, state },
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
