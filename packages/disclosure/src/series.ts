// Disclosure control of series bodies: each point's split is a set of cells related by the age
// split (a G&A beds point: beds open and occupied, occupied <= open, as in a snapshot), and, in a
// tree, each point equals the sum of the children's same point.
import { BED_FIGURES } from '@pulse/kpi';
import type { Renderer } from './cells.js';
import { controlTree, Layout, nodesOf, SPLIT_KEYS, type BodyCells } from './cells.js';
import { DisclosureError } from './errors.js';
import type { DecideOptions, Table } from './table.js';
import type {
  ControlledSeries,
  Family,
  NullableBeds,
  NullableSplit,
  PointCounts,
  SeriesBody,
} from './types.js';

/** Time lost is not a count of people; a series of it has no base count to follow. */
const WITHOUT_BASE = new Set(['ambulance_handover_ms_lost', 'ambulance_handover_hours_lost']);

function sameBuckets(a: SeriesBody, b: SeriesBody): boolean {
  return (
    a.metric === b.metric &&
    a.interval === b.interval &&
    a.points.length === b.points.length &&
    a.points.every((p, i) => p.start === b.points[i]!.start && p.end === b.points[i]!.end)
  );
}

/** A G&A beds point's counts, not an age split. */
const isBeds = (value: PointCounts): value is NullableBeds => 'ga_beds_open' in value;

function addBody(table: Table, body: SeriesBody): BodyCells {
  // per body: a point may be null, and a tree's series need not have the same null points
  const layout = new Layout<SeriesBody>();
  body.points.forEach((point, i) => {
    if (point.value === null) return;
    const path = `/points/${i}/value`;
    const known = point.known === true;
    if (!isBeds(point.value)) {
      layout.split(path, (b) => b.points[i]!.value as NullableSplit, known);
      return;
    }
    for (const bed of BED_FIGURES)
      layout.count(`${path}/${bed}`, (b) => (b.points[i]!.value as NullableBeds)[bed], known);
    layout.relate([`${path}/ga_beds_occupied`], [`${path}/ga_beds_open`], 'le');
  });
  return layout.place(table, body, body.scope.kind === 'england');
}

function render<B extends SeriesBody>(r: Renderer, body: B): ControlledSeries<B> {
  const national = body.scope.kind === 'england';
  const points = body.points.map((point, i) => {
    if (point.value === null) return { ...point, value: null };
    const path = `/points/${i}/value`;
    let value: PointCounts;
    if (isBeds(point.value)) {
      const beds: NullableBeds = { ga_beds_open: null, ga_beds_occupied: null };
      for (const bed of BED_FIGURES) beds[bed] = r.count(`${path}/${bed}`);
      value = beds;
    } else if (WITHOUT_BASE.has(body.metric) && !national) {
      value = { child: null, adult: null, unknown: null, total: null };
      for (const key of SPLIT_KEYS)
        r.suppressed.push({ path: `${path}/${key}`, reason: 'derived' });
    } else {
      value = r.split(path);
    }
    return { ...point, value };
  });
  // Spread then override: the Omit<…> & … of ControlledSeries, which TypeScript cannot see for B.
  return {
    ...body,
    points,
    disclosure: national ? 'exact' : 'controlled',
    suppressed: r.suppressed,
  } as unknown as ControlledSeries<B>;
}

/** controlSeriesTree with its switches; tests use it to show what secondary suppression stops. */
export function controlSeriesTreeWith<B extends SeriesBody>(
  tree: Family<B>,
  options: DecideOptions,
): Family<ControlledSeries<B>> {
  const nodes = nodesOf(tree);
  for (const node of nodes) {
    if (!sameBuckets(tree.body, node.body)) {
      throw new DisclosureError(
        'MISMATCHED_TREE',
        `series of ${node.body.scope.code ?? node.body.scope.kind} is not ${tree.body.metric} ` +
          `at ${tree.body.interval} over the same buckets as its tree's root`,
      );
    }
  }
  return controlTree(tree, options, addBody, render);
}

/**
 * Controls the series of a tree of scopes together (one metric, interval and range): each
 * scope's public-tier series. As with snapshots, give it the whole structure and serve each scope
 * from the result.
 */
export function controlSeriesTree<B extends SeriesBody>(
  tree: Family<B>,
): Family<ControlledSeries<B>> {
  return controlSeriesTreeWith(tree, { secondary: true });
}

/** Controls one series body on its own (the age split of each point). England's comes back exact. */
export function controlSeries<B extends SeriesBody>(body: B): ControlledSeries<B> {
  return controlSeriesTree({ body }).body;
}
