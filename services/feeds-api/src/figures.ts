// The FiguresSource port over the @pulse/store reader: per-bucket counters summed, completeness
// reduced to counts. The reader merges partitions; this only reshapes.
import {
  addSplit,
  emptyCounterFigures,
  COUNTER_FIGURES,
  FIGURE_FAMILIES,
  type CounterFigures,
} from '@pulse/kpi';
import type { Completeness as Read, FigureReader, Reporting } from '@pulse/store';
import type { Completeness, FiguresSource } from './ports.js';

function sum(perBucket: readonly CounterFigures[]): CounterFigures {
  const total = emptyCounterFigures();
  for (const figures of perBucket)
    for (const figure of COUNTER_FIGURES) addSplit(total[figure], figures[figure]);
  return total;
}

const counts = ({ expected, reporting }: Reporting) => ({
  expected: expected.length,
  reported: reporting.length,
});

/** The reader's completeness as counts. */
function counted(read: Read): Completeness {
  const families = Object.fromEntries(
    FIGURE_FAMILIES.map((family) => [family, counts(read.families[family])]),
  ) as Completeness['families'];
  return { ...counts(read), families };
}

export function figuresFromReader(reader: FigureReader): FiguresSource {
  return {
    counters: async (scope, size, bucketIds) => sum(await reader.counters(scope, size, bucketIds)),
    counterSeries: (scope, figure, size, from, to) =>
      reader.counterSeries(scope, figure, size, from, to),
    gaugeSeries: (scope, size, from, to) => reader.gaugeSeries(scope, size, from, to),
    live: (scope, asOf, londonDate) => reader.gauges(scope, asOf, londonDate),
    freshness: (scope) => reader.freshness(scope),
    completeness: async (scope, asOf, londonDate, since) =>
      counted(await reader.completeness(scope, asOf, londonDate, since)),
    async freshView() {
      const view = await reader.freshView();
      return {
        freshness: (scope) => view.freshness(scope),
        completeness: (scope, asOf, londonDate, since) =>
          counted(view.completeness(scope, asOf, londonDate, since)),
      };
    },
  };
}
