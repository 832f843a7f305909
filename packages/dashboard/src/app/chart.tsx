// Today's curve of one tile against the same weekday last week: a uPlot line chart (NHS Blue for
// today, solid; NHS Dark Grey for last week, dashed, so colour is never the only difference) and
// the same numbers as a table, the chart's text alternative. A figure counted over the day is
// drawn as its running total by hour; a live gauge as its value at each 15-minute end.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { addDays, daySeries, type ScopeRef } from './api.js';
import {
  cumulative,
  formatValue,
  type AgeView,
  type CurveSpec,
  type Tile,
  type Value,
} from './figures.js';

/** NHS identity colours in the order the NHS data-visualisation guidance uses them. */
export const NHS_SERIES_COLOURS = ['#005eb8', '#425563', '#00a499', '#ffb81c', '#7c2855'];

const hourLabel = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
});

interface Curve {
  /** The time of each value, as shown: the hour's start, or the 15-minute end sampled. */
  times: string[];
  today: Value[];
  lastWeek: Value[];
}

/** Words of a curve kind: the chart's heading, the table's caption and its time column. */
const WORDS: Record<CurveSpec['kind'], { kind: string; caption: string; time: string }> = {
  running: { kind: 'running total', caption: 'running total by hour', time: 'Hour starting' },
  gauge: { kind: 'every 15 minutes', caption: 'value every 15 minutes', time: 'At' },
};

/** One day of a curve: the time of each point and its value (null: not known, or not begun). */
async function dayOf(
  spec: CurveSpec,
  scope: ScopeRef,
  date: string,
  age: AgeView,
  token: string | null,
  cutAt?: number,
): Promise<{ times: number[]; values: Value[] }> {
  if (spec.kind === 'gauge') {
    // A gauge's point is its value at the bucket's end; the API gives null for ends to come.
    const points = await daySeries(scope, spec.metric, date, age, token, '15m');
    return { times: points.map((p) => Date.parse(p.end)), values: points.map((p) => p.value) };
  }
  const [num, den] = await Promise.all([
    daySeries(scope, spec.numerator, date, age, token),
    spec.denominator ? daySeries(scope, spec.denominator, date, age, token) : undefined,
  ]);
  // Hours not begun yet have no figure: the curve stops at now.
  const cut = (v: Value, i: number) =>
    cutAt !== undefined && Date.parse(num[i]!.start) > cutAt ? null : v;
  const values = cumulative(
    num.map((p) => p.value),
    den?.map((p) => p.value),
    spec.scale,
  );
  return { times: num.map((p) => Date.parse(p.start)), values: values.map(cut) };
}

async function loadCurve(
  scope: ScopeRef,
  tile: Tile,
  date: string,
  age: AgeView,
  token: string | null,
  now: number,
): Promise<Curve> {
  const [today, lastWeek] = await Promise.all([
    dayOf(tile.curve, scope, date, age, token, now),
    dayOf(tile.curve, scope, addDays(date, -7), age, token),
  ]);
  return {
    times: today.times.map((t) => hourLabel.format(new Date(t))),
    today: today.values,
    lastWeek: lastWeek.values.slice(0, today.values.length),
  };
}

export function CurveChart(props: {
  scope: ScopeRef;
  tile: Tile;
  date: string;
  age: AgeView;
  token: string | null;
  /** Changes when the figures change, to redraw (at most once a minute). */
  version: number;
}) {
  const { scope, tile, date, age, token, version } = props;
  const [curve, setCurve] = useState<Curve | null>(null);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const minute = Math.floor(version / 60_000);
  const words = WORDS[tile.curve.kind];
  // A figure with no age split has no children's or adults' curve, as its tile says.
  const unsplit = !tile.split && age !== 'total';

  useEffect(() => {
    if (unsplit) {
      setCurve(null);
      return;
    }
    let current = true;
    loadCurve(scope, tile, date, age, token, Date.now()).then(
      (c) => current && (setCurve(c), setError(null)),
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [scope.kind, scope.code, tile.id, date, age, token, minute, unsplit]);

  useEffect(() => {
    if (!curve || !box.current) return;
    const width = Math.max(300, box.current.clientWidth || 600);
    const xs = curve.times.map((_, i) => i);
    const plot = new uPlot(
      {
        width,
        height: 280,
        scales: { x: { time: false } },
        axes: [
          {
            values: (_u, splits) => splits.map((i) => curve.times[i] ?? ''),
            label: `${words.time} (UK time)`,
          },
          { values: (_u, splits) => splits.map((v) => formatValue(v, tile.unit)), size: 70 },
        ],
        series: [
          { label: words.time },
          { label: 'Today', stroke: NHS_SERIES_COLOURS[0], width: 3 },
          {
            label: 'Same day last week',
            stroke: NHS_SERIES_COLOURS[1],
            width: 2,
            dash: [8, 6],
          },
        ],
      },
      [xs, curve.today, curve.lastWeek] as uPlot.AlignedData,
      box.current,
    );
    return () => plot.destroy();
  }, [curve, tile.unit, words.time]);

  return (
    <section aria-labelledby="curve-heading">
      <h2 id="curve-heading">
        {tile.label}: today against the same day last week ({words.kind})
      </h2>
      {error && <p class="nhsuk-error-message">The curve could not be read: {error}</p>}
      {unsplit && (
        <p class="nhsuk-body" data-curve-unsplit={tile.id}>
          This figure is not split by age: choose All ages to see its curve.
        </p>
      )}
      <div class="pulse-chart" ref={box} aria-hidden="true" data-chart={tile.id} />
      {curve && (
        <details class="nhsuk-details">
          <summary class="nhsuk-details__summary">
            <span class="nhsuk-details__summary-text">The chart as a table</span>
          </summary>
          <div class="nhsuk-details__text">
            <table class="nhsuk-table" data-curve-table={tile.id}>
              <caption class="nhsuk-table__caption">
                {tile.label}, {words.caption}
              </caption>
              <thead class="nhsuk-table__head">
                <tr>
                  <th scope="col" class="nhsuk-table__header">
                    {words.time}
                  </th>
                  <th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">
                    Today
                  </th>
                  <th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">
                    Same day last week
                  </th>
                </tr>
              </thead>
              <tbody class="nhsuk-table__body">
                {curve.times.map((time, i) => (
                  <tr class="nhsuk-table__row" key={time + i}>
                    <th scope="row" class="nhsuk-table__header">
                      {time}
                    </th>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">
                      {formatValue(curve.today[i] ?? null, tile.unit)}
                    </td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">
                      {formatValue(curve.lastWeek[i] ?? null, tile.unit)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}
