// Today's curve of one tile against the same weekday last week: a uPlot line chart (NHS Blue for
// today, solid; NHS Dark Grey for last week, dashed, so colour is never the only difference) and
// the same numbers as a table, the chart's text alternative.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { addDays, daySeries, type ScopeRef } from './api.js';
import { cumulative, formatValue, type AgeView, type Tile, type Value } from './figures.js';

/** NHS identity colours in the order the NHS data-visualisation guidance uses them. */
export const NHS_SERIES_COLOURS = ['#005eb8', '#425563', '#00a499', '#ffb81c', '#7c2855'];

const hourLabel = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
});

interface Curve {
  hours: string[];
  today: Value[];
  lastWeek: Value[];
}

async function loadCurve(
  scope: ScopeRef,
  tile: Tile,
  date: string,
  age: AgeView,
  token: string | null,
  now: number,
): Promise<Curve> {
  const spec = tile.curve!;
  const day = async (d: string, cutAt?: number) => {
    const [num, den] = await Promise.all([
      daySeries(scope, spec.numerator, d, age, token),
      spec.denominator ? daySeries(scope, spec.denominator, d, age, token) : undefined,
    ]);
    // Hours not begun yet have no figure: the curve stops at now.
    const cut = (v: Value, i: number) =>
      cutAt !== undefined && Date.parse(num[i]!.start) > cutAt ? null : v;
    const values = cumulative(
      num.map((p) => p.value),
      den?.map((p) => p.value),
      spec.scale,
    );
    return { starts: num.map((p) => p.start), values: values.map(cut) };
  };
  const [today, lastWeek] = await Promise.all([day(date, now), day(addDays(date, -7))]);
  return {
    hours: today.starts.map((s) => hourLabel.format(new Date(s))),
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

  useEffect(() => {
    let current = true;
    loadCurve(scope, tile, date, age, token, Date.now()).then(
      (c) => current && (setCurve(c), setError(null)),
      (err: Error) => current && setError(err.message),
    );
    return () => {
      current = false;
    };
  }, [scope.kind, scope.code, tile.id, date, age, token, minute]);

  useEffect(() => {
    if (!curve || !box.current) return;
    const width = Math.max(300, box.current.clientWidth || 600);
    const xs = curve.hours.map((_, i) => i);
    const plot = new uPlot(
      {
        width,
        height: 280,
        scales: { x: { time: false } },
        axes: [
          {
            values: (_u, splits) => splits.map((i) => curve.hours[i] ?? ''),
            label: 'Hour starting (UK time)',
          },
          { values: (_u, splits) => splits.map((v) => formatValue(v, tile.unit)), size: 70 },
        ],
        series: [
          { label: 'Hour' },
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
  }, [curve, tile.unit]);

  return (
    <section aria-labelledby="curve-heading">
      <h2 id="curve-heading">{tile.label}: today against the same day last week (running total)</h2>
      {error && <p class="nhsuk-error-message">The curve could not be read: {error}</p>}
      <div class="pulse-chart" ref={box} aria-hidden="true" data-chart={tile.id} />
      {curve && (
        <details class="nhsuk-details">
          <summary class="nhsuk-details__summary">
            <span class="nhsuk-details__summary-text">The chart as a table</span>
          </summary>
          <div class="nhsuk-details__text">
            <table class="nhsuk-table" data-curve-table={tile.id}>
              <caption class="nhsuk-table__caption">{tile.label}, running total by hour</caption>
              <thead class="nhsuk-table__head">
                <tr>
                  <th scope="col" class="nhsuk-table__header">
                    Hour starting
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
                {curve.hours.map((hour, i) => (
                  <tr class="nhsuk-table__row" key={hour + i}>
                    <th scope="row" class="nhsuk-table__header">
                      {hour}
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
