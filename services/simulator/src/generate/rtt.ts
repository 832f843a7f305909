// Referral to treatment: a seeded waiting list reported just before the window's first London
// day, then daily clock starts and stops. Pathways are kept compactly (parallel arrays) so a full-scale list of
// millions fits; ids and pseudonyms derive from the pathway's serial number.
import type { ActivityEvent } from '@pulse/contracts';
import {
  AGE_BAND_ORDER,
  DAYTIME_HOURLY_SHAPE,
  ELECTIVE_AGE_MIX,
  ELECTIVE_WEEKEND_FACTOR,
  ENGLAND_PER_DAY,
  RTT_MEAN_PATHWAY_DAYS,
  RTT_WAIT_BANDS,
  TREATMENT_FUNCTIONS,
} from './assumptions.js';
import { expectedIn, instantsIn, normalised, type TrustContext } from './context.js';
import { DAY_MS } from '@pulse/refdata';
import { createRng } from './rng.js';

const WEEK_MS = 7 * DAY_MS;
const TF_WEIGHTS = TREATMENT_FUNCTIONS.map(([, w]) => w);
const HOURLY = normalised(DAYTIME_HOURLY_SHAPE);
/** Referrals arrive on weekdays; weekends see a tenth. Mean over a week is 1. */
const WEEKDAY = normalised([1, 1, 1, 1, 1, ELECTIVE_WEEKEND_FACTOR, ELECTIVE_WEEKEND_FACTOR]);

export class WaitingList {
  private readonly serials: number[] = [];
  private readonly starts: number[] = [];
  private readonly tfs: number[] = [];
  private readonly ages: number[] = [];
  private nextSerial = 0;
  /** Pathways at the start; sets the daily flow (list / mean pathway length). */
  readonly initialSize: number;

  constructor(
    private readonly ctx: TrustContext,
    rttScale: number,
  ) {
    this.initialSize = Math.round(ENGLAND_PER_DAY.rttWaitingList * ctx.profile.rttShare * rttScale);
  }

  get size(): number {
    return this.serials.length;
  }

  /**
   * The list waiting at `from`: one RTT_CLOCK_START per pathway, its clock started earlier. A
   * pathway whose clock started after `reportAt` is a start of its own day and is reported then;
   * the rest (nearly all) at `reportAt`, the last instant before `from`'s London day, so the
   * list is in the waiting figures from the start but not among the first day's clock starts.
   */
  *initial(reportAt: number): Generator<ActivityEvent> {
    const { rng, from } = this.ctx;
    const shares = RTT_WAIT_BANDS.map(([, , share]) => share);
    for (let i = 0; i < this.initialSize; i++) {
      const [lo, hi] = RTT_WAIT_BANDS[rng.weighted(shares)]!;
      const clockStartAt = Math.floor(from - rng.uniform(lo, hi) * WEEK_MS);
      yield this.start(clockStartAt, Math.max(clockStartAt, reportAt));
    }
  }

  /** Clock stops then starts in [start, end): stops pick pathways already open. */
  slice(start: number, end: number): void {
    const { rng, schedule } = this.ctx;
    const perDay = this.initialSize / RTT_MEAN_PATHWAY_DAYS;
    const mean = expectedIn(start, end, perDay, HOURLY, WEEKDAY);
    for (const at of instantsIn(rng, start, end, rng.poisson(mean))) {
      if (this.size > 0) schedule.add(at, this.stop(rng.int(this.size), at));
    }
    for (const at of instantsIn(rng, start, end, rng.poisson(mean))) {
      schedule.add(at, this.start(at, at));
    }
  }

  private start(clockStartAt: number, at: number): ActivityEvent {
    const { rng } = this.ctx;
    const serial = this.nextSerial++;
    const tf = rng.weighted(TF_WEIGHTS);
    const age = rng.weighted(ELECTIVE_AGE_MIX);
    this.serials.push(serial);
    this.starts.push(clockStartAt);
    this.tfs.push(tf);
    this.ages.push(age);
    return this.clockEvent('RTT_CLOCK_START', serial, clockStartAt, tf, age, at);
  }

  /** Removes pathway i (swap with the last) and returns its stop. */
  private stop(i: number, at: number): ActivityEvent {
    const take = <T>(list: T[]): T => {
      const value = list[i]!;
      list[i] = list[list.length - 1]!;
      list.pop();
      return value;
    };
    const serial = take(this.serials);
    const clockStartAt = take(this.starts);
    const tf = take(this.tfs);
    const age = take(this.ages);
    return this.clockEvent('RTT_CLOCK_STOP', serial, clockStartAt, tf, age, at);
  }

  private clockEvent(
    type: 'RTT_CLOCK_START' | 'RTT_CLOCK_STOP',
    serial: number,
    clockStartAt: number,
    tf: number,
    age: number,
    at: number,
  ): ActivityEvent {
    const { ctx } = this;
    const ods = ctx.profile.ods;
    // The pseudonym is keyed by the seed and stable for the pathway's patient.
    const subjectRef = ctx.pseudonymOf(
      createRng(`${ctx.seed}/rtt-subject/${ods}/${serial}`).hex(12),
    );
    return ctx.event(type, at, AGE_BAND_ORDER[age]!, subjectRef, {
      pathwayId: pathwayIdOf(ods, serial),
      clockStartAt,
      treatmentFunction: TREATMENT_FUNCTIONS[tf]![0],
    });
  }
}

/**
 * `<ODS>-RTT-` and the serial in 8 base-36 digits: 16 characters or more, as the contract's id
 * allowlist asks (RGT-RTT-0000001A).
 */
export function pathwayIdOf(ods: string, serial: number): string {
  return `${ods}-RTT-${serial.toString(36).toUpperCase().padStart(8, '0')}`;
}
