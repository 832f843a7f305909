// Random plan items for equivalence tests: effects drawn directly (not from events), with ids from
// small pools so opens, closes, criteria changes and discharges collide in every order.
import type { AgeGroup, Attribution, CounterIncrement, StateOp } from '@pulse/kpi';
import { AGE_GROUPS, bucketsOf, COUNTER_FIGURES, FIGURE_FAMILIES } from '@pulse/kpi';
import type { PlanItem } from '../../src/index.js';
import { prng } from '@pulse/verify';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

export interface RandomEvents {
  /** The next event of a trust, or a resend of one already made. */
  next(attribution: Attribution): PlanItem;
}

export function randomEvents(seed: number, from: number, spanMs: number): RandomEvents {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (n: number) => Math.floor(random() * n);
  const made: PlanItem[] = [];
  let serial = 0;

  const stateOp = (at: number): StateOp => {
    const group: AgeGroup = pick(AGE_GROUPS);
    switch (int(6)) {
      case 0: {
        // Now and then older than any state window (STATE_WINDOW_MS): junk the store trims.
        const old = random() < 0.15 ? 6 * YEAR : int(80) * DAY;
        return {
          op: 'open',
          set: pick(['ed', 'rtt'] as const),
          id: `x${int(20)}`,
          score: at - old,
          group,
        };
      }
      case 1:
        return { op: 'close', set: pick(['ed', 'rtt'] as const), id: `x${int(20)}`, at };
      case 2:
        return {
          op: 'ctr',
          spellId: `s${int(10)}`,
          meets: random() < 0.4,
          group,
          at: at - (random() < 0.15 ? 4 * YEAR : int(3) * DAY),
        };
      case 3:
        return {
          op: 'discharge',
          spellId: `s${int(10)}`,
          at,
          ifNotMeeting: [{ figure: 'discharges_not_meeting_ctr', group, by: 1 }],
        };
      default:
        return {
          op: 'beds',
          siteOds: `S${int(2)}`,
          bedType: pick(['GENERAL_ACUTE', 'OTHER']),
          at: at - int(5) * 60_000,
          open: int(200),
          occupied: int(200),
        };
    }
  };

  return {
    next(attribution) {
      const own = made.filter((m) => m.providerOds === attribution.trust);
      if (own.length > 0 && random() < 0.1) return { ...pick(own) };
      const occurredAt = from + int(spanMs);
      const counters: CounterIncrement[] = Array.from({ length: int(3) }, () => ({
        figure: pick(COUNTER_FIGURES),
        group: pick(AGE_GROUPS),
        by: 1 + int(3) * int(1000),
      }));
      const item: PlanItem = {
        eventId: `r${seed}-${++serial}`,
        providerOds: attribution.trust,
        occurredAt,
        attribution,
        buckets: bucketsOf(occurredAt),
        effects: {
          family: pick(FIGURE_FAMILIES),
          counters,
          state: Array.from({ length: int(3) }, () => stateOp(occurredAt)),
        },
      };
      made.push(item);
      return item;
    },
  };
}
