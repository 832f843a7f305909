// Emergency care: A&E attendances (arrival, ambulance handover, departure, admission) and
// emergency admissions that bypass A&E (GP and SDEC referrals to assessment units).
import type { AgeBand, ArrivalMode, Disposal } from '@pulse/contracts';
import type { AeDepartmentType } from '@pulse/refdata';
import {
  ACUITY_MIX,
  AGE_BAND_ORDER,
  DEPARTMENT_TYPE_MIX,
  DIRECT_AMBULANCE_SHARE,
  DTA_SHARE_OF_STAY,
  ED_AGE_MIX,
  ED_STAY_MINUTES,
  HANDOVER_MINUTES,
  OTHER_ARRIVAL_SHARE,
  OTHER_DISPOSALS,
  POLICE_SHARE,
  TYPE1_ADMIT_BY_AGE,
  TYPE1_AMBULANCE_BY_AGE,
  TYPE2_ADMIT,
  TYPE2_AMBULANCE,
  TYPE3_ADMIT,
  TYPE3_AMBULANCE,
} from './assumptions.js';
import { isChild, type TrustContext } from './context.js';
import { MINUTE_MS } from '@pulse/refdata';
import { drawBedType, scheduleSpell } from './spells.js';

type DepartmentType = AeDepartmentType;

/** Children's hospitals see only 0-17s. */
export const CHILDREN_AGE_MIX = [0.45, 0.55, 0, 0, 0, 0] as const;

export function edAgeMix(ctx: TrustContext): readonly number[] {
  return ctx.profile.children ? CHILDREN_AGE_MIX : ED_AGE_MIX;
}

/** The trust's own department types with their DEPARTMENT_TYPE_MIX weights (renormalised). */
export function departmentMix(
  ctx: TrustContext,
): readonly (readonly [type: DepartmentType, share: number])[] {
  const types = ctx.profile.edTypes;
  const total = types.reduce((sum, t) => sum + DEPARTMENT_TYPE_MIX[t - 1]!, 0);
  return types.map((t) => [t, DEPARTMENT_TYPE_MIX[t - 1]! / total] as const);
}

/** Chance an attendance of this type and age is admitted. */
export function admitChance(type: DepartmentType, ageIndex: number): number {
  if (type === 1) return TYPE1_ADMIT_BY_AGE[ageIndex]!;
  return type === 2 ? TYPE2_ADMIT : TYPE3_ADMIT;
}

function arrivalMode(ctx: TrustContext, type: DepartmentType, ageIndex: number): ArrivalMode {
  const ambulance =
    type === 1 ? TYPE1_AMBULANCE_BY_AGE[ageIndex]! : type === 2 ? TYPE2_AMBULANCE : TYPE3_AMBULANCE;
  const u = ctx.rng.float();
  if (u < ambulance) return 'AMBULANCE';
  if (u < ambulance + POLICE_SHARE && !isChild(AGE_BAND_ORDER[ageIndex]!)) return 'POLICE';
  if (u < ambulance + POLICE_SHARE + OTHER_ARRIVAL_SHARE) return 'OTHER';
  return 'WALK_IN';
}

function disposal(ctx: TrustContext, type: DepartmentType, ageIndex: number): Disposal {
  const u = ctx.rng.float();
  const admit = admitChance(type, ageIndex);
  // A unit at a trust with no beds sends the patient to hospital instead.
  if (u < admit) return ctx.profile.admits ? 'ADMITTED' : 'TRANSFERRED';
  const [transferred, left, died] = OTHER_DISPOSALS[type];
  if (u < admit + transferred) return 'TRANSFERRED';
  if (u < admit + transferred + left) return 'LEFT';
  if (u < admit + transferred + left + died) return 'DIED';
  return 'DISCHARGED';
}

function stayMinutes(ctx: TrustContext, type: DepartmentType, admitted: boolean): number {
  const s = ED_STAY_MINUTES;
  const law =
    type === 1 ? (admitted ? s.type1Admitted : s.type1NotAdmitted) : type === 2 ? s.type2 : s.type3;
  return Math.min(s.max, ctx.rng.logNormal(law.median, law.sigma));
}

function handoverMinutes(ctx: TrustContext): number {
  const h = HANDOVER_MINUTES;
  return Math.min(h.max, Math.max(h.min, ctx.rng.logNormal(h.median, h.sigma)));
}

/** One A&E attendance arriving at `arrivedAt`, with everything that follows from it. */
export function attendance(ctx: TrustContext, arrivedAt: number): void {
  const { rng, schedule } = ctx;
  const mix = departmentMix(ctx);
  const type = mix[rng.weighted(mix.map(([, share]) => share))]![0];
  const ageIndex = rng.weighted(edAgeMix(ctx));
  const ageBand: AgeBand = AGE_BAND_ORDER[ageIndex]!;
  const subjectRef = ctx.pseudonym();
  const attendanceId = rng.uuid();
  const mode = arrivalMode(ctx, type, ageIndex);
  const acuity = [1, 2, 3, 4, 5, null][rng.weighted(ACUITY_MIX[type])] as 1 | 2 | 3 | 4 | 5 | null;
  const outcome = disposal(ctx, type, ageIndex);
  let stayMs = Math.floor(stayMinutes(ctx, type, outcome === 'ADMITTED') * MINUTE_MS);

  schedule.add(
    arrivedAt,
    ctx.event('ED_ARRIVAL', arrivedAt, ageBand, subjectRef, {
      attendanceId,
      arrivalMode: mode,
      departmentType: type,
      acuity,
    }),
  );
  // Handovers are recorded by trusts with a type 1 department (the handover collection's scope).
  if (mode === 'AMBULANCE' && ctx.profile.handovers) {
    const handedOverAt = arrivedAt + Math.floor(handoverMinutes(ctx) * MINUTE_MS);
    schedule.add(
      handedOverAt,
      ctx.event('AMBULANCE_HANDOVER', handedOverAt, ageBand, subjectRef, { arrivedAt }),
    );
    // The patient leaves the department after being handed over.
    stayMs = Math.max(
      stayMs,
      handedOverAt - arrivedAt + Math.floor(rng.uniform(10, 40) * MINUTE_MS),
    );
  }
  const departedAt = arrivedAt + stayMs;
  const admitted = outcome === 'ADMITTED';
  const decisionToAdmitAt = admitted
    ? arrivedAt + Math.floor(stayMs * rng.uniform(...DTA_SHARE_OF_STAY))
    : null;
  schedule.add(
    departedAt,
    ctx.event('ED_DEPARTURE', departedAt, ageBand, subjectRef, {
      attendanceId,
      arrivedAt,
      disposal: outcome,
      decisionToAdmitAt,
    }),
  );
  if (admitted) {
    scheduleSpell(ctx, {
      admittedAt: departedAt,
      method: 'EMERGENCY',
      route: 'emergency',
      bedType: drawBedType(ctx, 'emergency'),
      ageBand,
      subjectRef,
    });
  }
}

/** An emergency admission straight to an assessment unit, by ambulance for some. */
export function directAdmission(ctx: TrustContext, arrivedAt: number): void {
  const ageBand = ctx.ageBand(edAgeMix(ctx));
  const subjectRef = ctx.pseudonym();
  let admittedAt = arrivedAt;
  if (ctx.rng.chance(DIRECT_AMBULANCE_SHARE)) {
    const handedOverAt = arrivedAt + Math.floor(handoverMinutes(ctx) * MINUTE_MS);
    ctx.schedule.add(
      handedOverAt,
      ctx.event('AMBULANCE_HANDOVER', handedOverAt, ageBand, subjectRef, { arrivedAt }),
    );
    admittedAt = handedOverAt + Math.floor(ctx.rng.uniform(5, 30) * MINUTE_MS);
  }
  scheduleSpell(ctx, {
    admittedAt,
    method: 'EMERGENCY',
    route: 'emergency',
    bedType: drawBedType(ctx, 'emergency'),
    ageBand,
    subjectRef,
  });
}
