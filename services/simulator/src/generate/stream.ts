// The generator: a time-ordered stream of activity for a set of trusts over [from, to), built
// incrementally slice by slice so a week for all of England never sits in memory at once.
import type { ActivityEvent } from '@pulse/contracts';
import { londonDateOf, londonDaySpan, type Trust } from '@pulse/refdata';
import { ED_WARM_UP_MS } from './assumptions.js';
import { buildProfiles, publishes } from './profiles.js';
import { Schedule } from './schedule.js';
import { DEFAULT_BED_STATE_EVERY_MS, TrustSim } from './trust.js';

/** Activity is born in slices of this length; output is exact-ordered regardless. */
export const SLICE_MS = 15 * 60_000;

export interface GenerateOptions {
  /** Any string; the same seed and options give the same stream. */
  readonly seed: string;
  /** Window of simulated time [from, to), epoch ms; `to` may be Infinity (run forever). */
  readonly from: number;
  readonly to: number;
  /** Trusts to simulate (a subset of openTrusts). */
  readonly trusts: readonly Trust[];
  /** Every trust open on the start date: sizes are shares of England over these. */
  readonly openTrusts: readonly Trust[];
  /** RTT waiting list and flows as a share of England's (1 = ~7.4m pathways). */
  readonly rttScale: number;
  /** Interval of BED_STATE snapshots (default one hour). */
  readonly bedStateEveryMs?: number;
}

/**
 * Yields events in occurredAt order (ties in a stable, deterministic order). Paired events come
 * in valid order; an event is yielded only if from <= occurredAt < to, except the seeded RTT
 * waiting list, reported before `from` (at the last instant before its London day, or a
 * pathway's own clock start if later): see WaitingList.initial.
 */
export function* generateActivity(options: GenerateOptions): Generator<ActivityEvent> {
  const { seed, from, to, rttScale } = options;
  const every = options.bedStateEveryMs ?? DEFAULT_BED_STATE_EVERY_MS;
  if (!(from < to)) return;
  const profiles = buildProfiles(seed, options.openTrusts);
  const schedule = new Schedule(from, to);
  const sims = [...options.trusts]
    .sort((a, b) => (a.odsCode < b.odsCode ? -1 : a.odsCode > b.odsCode ? 1 : 0))
    .map((trust) => {
      const profile = profiles.get(trust.odsCode);
      if (!profile) throw new RangeError(`trust ${trust.odsCode} is not among the open trusts`);
      return new TrustSim(seed, profile, from, to, schedule, rttScale);
    })
    .filter((sim) => publishes(sim.ctx.profile));

  // The waiting list as it stands at `from` (the few of its pathways that started on `from`'s
  // own London day in order after the rest), then the census of inpatients.
  const reportAt = londonDaySpan(londonDateOf(from)).start - 1;
  const ownDay: ActivityEvent[] = [];
  for (const sim of sims) {
    for (const event of sim.waitingList.initial(reportAt)) {
      if (event.occurredAt === reportAt) yield event;
      else ownDay.push(event);
    }
  }
  yield* ownDay.sort((a, b) => a.occurredAt - b.occurredAt);
  for (const sim of sims) sim.admitCensus();

  for (let start = from - ED_WARM_UP_MS; start < to; start += SLICE_MS) {
    const end = start + SLICE_MS;
    for (const sim of sims) {
      sim.edSlice(start, end);
      if (start >= from) sim.slice(start, Math.min(end, to), every);
    }
    const limit = Math.min(end, to);
    for (let item = schedule.takeBefore(limit); item; item = schedule.takeBefore(limit)) {
      if (item.occupancy) item.occupancy.of[item.occupancy.bedType] += item.occupancy.delta;
      yield typeof item.event === 'function' ? item.event() : item.event;
    }
  }
}
