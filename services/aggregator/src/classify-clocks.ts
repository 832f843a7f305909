// The clock each record is classified with, fixed per offset until the partition has applied it.
// TOO_LATE and FUTURE_DATED depend on the clock, and a rejected record is dead-lettered before the
// apply that counts it: if that apply fails (Redis unreachable, say) and the batch is retried
// after the clock moved on, classifying again with the new clock could accept a record already
// in the DLQ, which would then be both dead-lettered and counted. A retry in this process reuses
// the clock of the record's first classification, so it gets the same verdict.

/** The clock of one classified offset range. */
interface Span {
  first: bigint;
  last: bigint;
  clock: number;
}

export interface ClassifyClocks {
  /**
   * The clock to classify each record of a chunk (offsets first..last) with: the clock of the
   * attempt that first classified it, else `now`, which is remembered for the range.
   */
  forChunk(partition: number, first: string, last: string, now: number): (offset: string) => number;
  /** The partition has applied every offset below `next`: their clocks are forgotten. */
  applied(partition: number, next: string): void;
}

export function createClassifyClocks(): ClassifyClocks {
  // Per partition, ranges classified but not yet applied, oldest first (a few at most: one per
  // chunk attempt since the last apply).
  const spans = new Map<number, Span[]>();

  return {
    forChunk(partition, first, last, now) {
      const earlier = spans.get(partition) ?? [];
      const range = { first: BigInt(first), last: BigInt(last) };
      const covered = earlier.some((s) => s.first <= range.first && s.last >= range.last);
      if (!covered) spans.set(partition, [...earlier, { ...range, clock: now }]);
      if (earlier.length === 0) return () => now;
      return (offset) => {
        const at = BigInt(offset);
        for (const span of earlier) if (at >= span.first && at <= span.last) return span.clock;
        return now;
      };
    },

    applied(partition, next) {
      const below = BigInt(next);
      const kept = (spans.get(partition) ?? []).filter((s) => s.last >= below);
      if (kept.length > 0) spans.set(partition, kept);
      else spans.delete(partition);
    },
  };
}
