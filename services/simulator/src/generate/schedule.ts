// Future events of every simulated trust, in time order (stable for equal instants).
import type { ActivityEvent, BedType } from '@pulse/contracts';
import { TimeHeap } from './heap.js';

/** Beds occupied per bed type at one trust, moved as admissions and discharges are emitted. */
export type Occupancy = Record<BedType, number>;

export interface Scheduled {
  readonly at: number;
  readonly seq: number;
  /** The event, or a function making it when its time comes (bed snapshots read live counts). */
  readonly event: ActivityEvent | (() => ActivityEvent);
  /** Occupancy change applied when the event is emitted. */
  readonly occupancy?: {
    readonly of: Occupancy;
    readonly bedType: BedType;
    readonly delta: 1 | -1;
  };
}

export class Schedule {
  private readonly heap = new TimeHeap<Scheduled>();
  private seq = 0;

  /** Events outside [from, to) are never emitted, so they are not kept. */
  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {}

  get size(): number {
    return this.heap.size;
  }

  add(at: number, event: Scheduled['event'], occupancy?: Scheduled['occupancy']): void {
    if (at < this.from || at >= this.to) return;
    this.heap.push({ at, seq: this.seq++, event, ...(occupancy ? { occupancy } : {}) });
  }

  /** The earliest item if it is before `limit`, removed; undefined otherwise. */
  takeBefore(limit: number): Scheduled | undefined {
    return this.heap.takeBefore(limit);
  }
}
