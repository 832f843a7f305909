// Inpatient spells: admission, perhaps no longer meeting the criteria to reside, discharge; the
// census of spells already in hospital at the window's start; beds sized so occupancy lands near
// each trust's target.
import type { AdmissionMethod, AgeBand, BedType, DischargeDestination } from '@pulse/contracts';
import { DISCHARGE_DESTINATIONS } from '@pulse/contracts';
import {
  BED_TYPE_MIX,
  CRITERIA_TO_RESIDE,
  DESTINATION_MIX,
  DISCHARGE_HOURLY_SHAPE,
  LENGTH_OF_STAY_DAYS,
} from './assumptions.js';
import { isAdult, isChild, type TrustContext } from './context.js';
import { DAY_MS, HOUR_MS, londonDayStartOf } from '@pulse/refdata';

export const BED_TYPE_ORDER: readonly BedType[] = ['GENERAL_ACUTE', 'CRITICAL_CARE', 'OTHER'];

/** Where a spell came from: its length-of-stay law depends on it. */
export type Route = 'emergency' | 'electiveOrdinary' | 'dayCase';

export interface SpellPlan {
  readonly admittedAt: number;
  readonly method: AdmissionMethod;
  readonly route: Route;
  readonly bedType: BedType;
  readonly ageBand: AgeBand;
  readonly subjectRef: string;
  /** Census spells were admitted before the window: no ADMISSION event. */
  readonly census?: boolean;
  /** Length of stay in ms; drawn from the route's law when absent. */
  readonly stayMs?: number;
}

/** Log-normal law (median days, sigma) of a spell's stay. */
export function stayLaw(route: Route, bedType: BedType, ageBand: AgeBand) {
  if (bedType === 'CRITICAL_CARE') return LENGTH_OF_STAY_DAYS.criticalCare;
  if (route === 'electiveOrdinary') return LENGTH_OF_STAY_DAYS.electiveOrdinary;
  return isChild(ageBand) ? LENGTH_OF_STAY_DAYS.emergencyChild : LENGTH_OF_STAY_DAYS.emergencyAdult;
}

export function drawBedType(ctx: TrustContext, route: 'emergency' | 'electiveOrdinary'): BedType {
  return BED_TYPE_ORDER[ctx.rng.weighted(BED_TYPE_MIX[route])]!;
}

function drawStayMs(ctx: TrustContext, plan: SpellPlan): number {
  if (plan.stayMs !== undefined) return plan.stayMs;
  if (plan.route === 'dayCase') {
    return Math.floor(ctx.rng.uniform(...LENGTH_OF_STAY_DAYS.dayCaseHours) * HOUR_MS);
  }
  const law = stayLaw(plan.route, plan.bedType, plan.ageBand);
  const days = Math.min(LENGTH_OF_STAY_DAYS.max, ctx.rng.logNormal(law.median, law.sigma));
  return Math.floor(days * DAY_MS);
}

/** Overnight stays end in the afternoon: keep the day, draw the local hour. */
function dischargeInstant(ctx: TrustContext, admittedAt: number, stayMs: number): number {
  const raw = admittedAt + stayMs;
  if (stayMs < DAY_MS) return raw;
  const hour = ctx.rng.weighted(DISCHARGE_HOURLY_SHAPE) + ctx.rng.float();
  let at = Math.floor(londonDayStartOf(raw) + hour * HOUR_MS);
  while (at <= admittedAt + HOUR_MS) at += DAY_MS;
  return at;
}

function destination(ctx: TrustContext, delayed: boolean): DischargeDestination {
  const mix = delayed ? DESTINATION_MIX.delayed : DESTINATION_MIX.usual;
  return DISCHARGE_DESTINATIONS[ctx.rng.weighted(mix)]!;
}

/** When (if ever) an adult G&A spell stops meeting the criteria to reside. */
function criteriaChange(ctx: TrustContext, plan: SpellPlan, stayMs: number): number | undefined {
  const c = CRITERIA_TO_RESIDE;
  if (plan.bedType !== 'GENERAL_ACUTE' || !isAdult(plan.ageBand)) return undefined;
  const days = stayMs / DAY_MS;
  if (days < c.minStayDays) return undefined;
  if (!ctx.rng.chance(days >= c.longStayDays ? c.chanceLongStay : c.chanceShortStay)) {
    return undefined;
  }
  return Math.floor(plan.admittedAt + stayMs * ctx.rng.uniform(...c.pointInStay));
}

/**
 * Schedules a spell's events. Spells admitted before the window are either census spells (their
 * discharge and criteria state are still emitted) or belong to the census already (dropped).
 */
export function scheduleSpell(ctx: TrustContext, plan: SpellPlan): void {
  if (!plan.census && plan.admittedAt < ctx.from) return;
  const { admittedAt, ageBand, subjectRef, bedType } = plan;
  const spellId = ctx.rng.uuid();
  let stayMs = drawStayMs(ctx, plan);
  let dischargeAt = dischargeInstant(ctx, admittedAt, stayMs);
  if (plan.census && dischargeAt <= ctx.from) {
    // A census spell is in hospital at `from`: its discharge comes after.
    dischargeAt = ctx.from + Math.floor(ctx.rng.uniform(0, 6 * HOUR_MS));
    stayMs = dischargeAt - admittedAt;
  }
  const of = ctx.occupancy;
  if (plan.census) of[bedType] += 1;
  else {
    ctx.schedule.add(
      admittedAt,
      ctx.event('ADMISSION', admittedAt, ageBand, subjectRef, {
        spellId,
        method: plan.method,
        bedType,
      }),
      { of, bedType, delta: 1 },
    );
  }
  const changeAt = plan.route === 'dayCase' ? undefined : criteriaChange(ctx, plan, stayMs);
  if (changeAt !== undefined) {
    // A census patient who stopped meeting the criteria before the window is reported at `from`.
    const at = Math.min(Math.max(changeAt, ctx.from), dischargeAt - 1);
    ctx.schedule.add(
      at,
      ctx.event('CRITERIA_TO_RESIDE_CHANGED', at, ageBand, subjectRef, {
        spellId,
        meetsCriteria: false,
      }),
    );
  }
  ctx.schedule.add(
    dischargeAt,
    ctx.event('DISCHARGE', dischargeAt, ageBand, subjectRef, {
      spellId,
      admittedAt,
      destination: destination(ctx, changeAt !== undefined),
    }),
    { of, bedType, delta: -1 },
  );
}

/** Schedules one BED_STATE per bed type the trust has, read when emitted. */
export function scheduleBedStates(ctx: TrustContext, at: number): void {
  for (const bedType of BED_TYPE_ORDER) {
    const base = ctx.bedsOpen[bedType];
    if (base === 0) continue;
    ctx.schedule.add(at, () => {
      const occupied = Math.max(0, ctx.occupancy[bedType]);
      // Escalation beds open when occupancy would pass the base bed stock.
      return ctx.event('BED_STATE', at, 'UNKNOWN', null, {
        bedType,
        bedsOpen: Math.max(base, occupied),
        bedsOccupied: occupied,
      });
    });
  }
}
