// When a record is due: a run's pacing as pure functions of a record's clock and the wall clock,
// so tests give the wall clock instead of waiting for it.
//
//   paced       simulated time runs `speed` times real time from `from`, reached at `wallStart`:
//                 sim(t) = from + (t − wallStart) × speed
//   catch-up    the same, never ahead of the wall clock:
//                 sim(t) = min(from + (t − wallStart) × speed, t)
//               with speed Infinity, sim(t) = t: what is already past goes out at once.
//
// A record is due once sim(now) reaches its clock, that is at the wall instant dueAt(clock).

export interface Pace {
  /** Simulated start instant, reached at wallStart. */
  readonly from: number;
  /** Simulated ms per wall ms; Infinity (catch-up only): the past as fast as possible. */
  readonly speed: number;
  /** Wall instant the run started. */
  readonly wallStart: number;
  /** Capped at the wall clock: nothing is sent before the wall clock reaches its clock. */
  readonly catchUp: boolean;
}

/** The wall instant a record with this clock is due (≤ wallStart: at once). */
export function dueAt(pace: Pace, clock: number): number {
  // max(0, …): a record before `from` is due at the start; and Infinity × 0 never arises.
  const paced = pace.wallStart + Math.max(0, clock - pace.from) / pace.speed;
  return pace.catchUp ? Math.max(paced, clock) : paced;
}

/** Whether a record with this clock is due at wall instant `now`. */
export function isDue(pace: Pace, clock: number, now: number): boolean {
  return dueAt(pace, clock) <= now;
}

/**
 * The wall instant a catch-up run reaches the wall clock (from then on it runs in real time):
 * at once when `from` is not in the past or speed is Infinity, never (Infinity) at speed ≤ 1
 * from the past. Undefined for a run that is not a catch-up.
 */
export function caughtUpAt(pace: Pace): number | undefined {
  if (!pace.catchUp) return undefined;
  const { from, speed, wallStart } = pace;
  if (from >= wallStart || speed === Infinity) return wallStart;
  if (speed <= 1) return Infinity;
  // from + (t − wallStart) × speed = t
  return (speed * wallStart - from) / (speed - 1);
}
