// One simulated trust: its daily volumes, beds sized from the spells they imply, the census of
// patients in hospital at the start, and what is born in each time slice.
import type { AgeBand, BedType } from '@pulse/contracts';
import {
  AGE_BAND_ORDER,
  BED_TYPE_MIX,
  DAYTIME_HOURLY_SHAPE,
  ED_HOURLY_SHAPE,
  ED_WEEKDAY_SHAPE,
  ELECTIVE_AGE_MIX,
  ELECTIVE_HOURLY_SHAPE,
  ELECTIVE_WEEKEND_FACTOR,
  ENGLAND_PER_DAY,
  LENGTH_OF_STAY_DAYS,
} from './assumptions.js';
import {
  createTrustContext,
  expectedIn,
  instantsIn,
  normalised,
  type TrustContext,
} from './context.js';
import { admitChance, attendance, departmentMix, directAdmission, edAgeMix } from './emergency.js';
import { DAY_MS, HOUR_MS } from '@pulse/refdata';
import type { TrustProfile } from './profiles.js';
import { WaitingList } from './rtt.js';
import type { Schedule } from './schedule.js';
import {
  BED_TYPE_ORDER,
  drawBedType,
  scheduleBedStates,
  scheduleSpell,
  stayLaw,
  type Route,
} from './spells.js';

const ED_HOURLY = normalised(ED_HOURLY_SHAPE);
const ED_WEEKDAY = normalised(ED_WEEKDAY_SHAPE);
const DAYTIME = normalised(DAYTIME_HOURLY_SHAPE);
const ELECTIVE = normalised(ELECTIVE_HOURLY_SHAPE);
const ELECTIVE_WEEKDAY = [1, 1, 1, 1, 1, ELECTIVE_WEEKEND_FACTOR, ELECTIVE_WEEKEND_FACTOR];
const ELECTIVE_WEEK_MEAN = (5 + 2 * ELECTIVE_WEEKEND_FACTOR) / 7;

/** A kind of inpatient in the census, weighted by the bed-days it accounts for. */
interface CensusStream {
  readonly route: Route;
  readonly ageIndex: number;
  readonly bedType: BedType;
  readonly bedDays: number;
}

const meanOf = (law: { median: number; sigma: number }) =>
  law.median * Math.exp((law.sigma * law.sigma) / 2);

export interface TrustVolumes {
  edPerDay: number;
  directPerDay: number;
  electiveOrdinaryPerWeekday: number;
  dayCasePerWeekday: number;
}

export function volumesOf(profile: TrustProfile): TrustVolumes {
  const inpatient = profile.inpatientShare;
  return {
    edPerDay: ENGLAND_PER_DAY.edAttendances * profile.edShare,
    // Straight to an assessment unit: only trusts with a type 1 department (acute) take them.
    directPerDay: ENGLAND_PER_DAY.directEmergencyAdmissions * profile.emergencyShare,
    electiveOrdinaryPerWeekday: ENGLAND_PER_DAY.electiveOrdinaryWeekday * inpatient,
    dayCasePerWeekday: ENGLAND_PER_DAY.electiveDayCaseWeekday * inpatient,
  };
}

/** Expected bed-days in use on an average day, by kind of patient. */
function censusStreams(ctx: TrustContext, v: TrustVolumes): CensusStream[] {
  const streams: CensusStream[] = [];
  if (!ctx.profile.admits) return streams;
  const ageMix = edAgeMix(ctx);
  const typeMix = departmentMix(ctx);
  ageMix.forEach((ageShare, ageIndex) => {
    let emergencyPerDay = v.directPerDay * ageShare;
    for (const [type, typeShare] of typeMix) {
      emergencyPerDay += v.edPerDay * typeShare * ageShare * admitChance(type, ageIndex);
    }
    const electivePerDay =
      v.electiveOrdinaryPerWeekday * ELECTIVE_WEEK_MEAN * ELECTIVE_AGE_MIX[ageIndex]!;
    const band: AgeBand = AGE_BAND_ORDER[ageIndex]!;
    BED_TYPE_ORDER.forEach((bedType, b) => {
      const add = (route: Route, perDay: number, share: number) => {
        const bedDays = perDay * share * meanOf(stayLaw(route, bedType, band));
        if (bedDays > 0) streams.push({ route, ageIndex, bedType, bedDays });
      };
      add('emergency', emergencyPerDay, BED_TYPE_MIX.emergency[b]!);
      add('electiveOrdinary', electivePerDay, BED_TYPE_MIX.electiveOrdinary[b]!);
    });
  });
  return streams;
}

export class TrustSim {
  readonly ctx: TrustContext;
  readonly volumes: TrustVolumes;
  readonly waitingList: WaitingList;
  private readonly census: CensusStream[];

  constructor(
    seed: string,
    profile: TrustProfile,
    from: number,
    to: number,
    schedule: Schedule,
    rttScale: number,
  ) {
    this.ctx = createTrustContext(seed, profile, from, to, schedule);
    this.volumes = volumesOf(profile);
    this.waitingList = new WaitingList(this.ctx, rttScale);
    this.census = censusStreams(this.ctx, this.volumes);
    // Day cases hold an OTHER bed for a few hours on weekdays.
    const [lo, hi] = LENGTH_OF_STAY_DAYS.dayCaseHours;
    const dayCaseBeds = (this.volumes.dayCasePerWeekday * ((lo + hi) / 2)) / 24;
    for (const bedType of BED_TYPE_ORDER) {
      const expected =
        this.census.filter((s) => s.bedType === bedType).reduce((sum, s) => sum + s.bedDays, 0) +
        (bedType === 'OTHER' ? dayCaseBeds : 0);
      this.ctx.bedsOpen[bedType] = Math.ceil(expected / profile.occupancy[bedType]);
    }
  }

  /** Patients already in hospital at `from`: discharges (and criteria changes) still to come. */
  admitCensus(): void {
    const { rng, from } = this.ctx;
    const total = this.census.reduce((sum, s) => sum + s.bedDays, 0);
    const weights = this.census.map((s) => s.bedDays);
    const count = rng.poisson(total);
    for (let i = 0; i < count; i++) {
      const s = this.census[rng.weighted(weights)]!;
      const band = AGE_BAND_ORDER[s.ageIndex]!;
      const law = stayLaw(s.route, s.bedType, band);
      // A spell in progress is length-biased: log-normal with median e^(sigma^2) larger.
      const days = Math.min(
        LENGTH_OF_STAY_DAYS.max,
        rng.logNormal(law.median * Math.exp(law.sigma * law.sigma), law.sigma),
      );
      const stayMs = Math.floor(days * DAY_MS);
      const admittedAt = Math.floor(from - rng.float() * stayMs);
      scheduleSpell(this.ctx, {
        admittedAt,
        method: s.route === 'emergency' ? 'EMERGENCY' : 'ELECTIVE',
        route: s.route,
        bedType: s.bedType,
        ageBand: band,
        subjectRef: this.ctx.pseudonym(),
        census: true,
        stayMs,
      });
    }
  }

  /** A&E attendances arriving in [start, end) (also during the warm-up before `from`). */
  edSlice(start: number, end: number): void {
    const { rng } = this.ctx;
    const n = rng.poisson(expectedIn(start, end, this.volumes.edPerDay, ED_HOURLY, ED_WEEKDAY));
    for (const at of instantsIn(rng, start, end, n)) attendance(this.ctx, at);
  }

  /** Elective admissions of one route in [start, end): morning lists, weekdays. */
  private electives(
    start: number,
    end: number,
    route: 'electiveOrdinary' | 'dayCase',
    perWeekday: number,
  ): void {
    const { ctx } = this;
    const { rng } = ctx;
    const n = rng.poisson(expectedIn(start, end, perWeekday, ELECTIVE, ELECTIVE_WEEKDAY));
    for (const at of instantsIn(rng, start, end, n)) {
      // Day cases use day-unit (OTHER) beds.
      const bedType = route === 'dayCase' ? 'OTHER' : drawBedType(ctx, 'electiveOrdinary');
      const ageBand = ctx.ageBand(ELECTIVE_AGE_MIX);
      scheduleSpell(ctx, {
        admittedAt: at,
        method: 'ELECTIVE',
        route,
        bedType,
        ageBand,
        subjectRef: ctx.pseudonym(),
      });
    }
  }

  /** Everything else born in [start, end), start >= from. */
  slice(start: number, end: number, bedStateEveryMs: number): void {
    const { ctx, volumes: v } = this;
    const { rng } = ctx;
    const direct = rng.poisson(expectedIn(start, end, v.directPerDay, DAYTIME));
    for (const at of instantsIn(rng, start, end, direct)) directAdmission(ctx, at);
    this.electives(start, end, 'electiveOrdinary', v.electiveOrdinaryPerWeekday);
    this.electives(start, end, 'dayCase', v.dayCasePerWeekday);
    if (this.waitingList.initialSize > 0) this.waitingList.slice(start, end);
    // Bed snapshots on the interval grid, and one at the very start.
    const first = Math.ceil(start / bedStateEveryMs) * bedStateEveryMs;
    if (start === ctx.from && first !== start) scheduleBedStates(ctx, start);
    for (let at = first; at < end; at += bedStateEveryMs) scheduleBedStates(ctx, at);
  }
}

export const DEFAULT_BED_STATE_EVERY_MS = HOUR_MS;
