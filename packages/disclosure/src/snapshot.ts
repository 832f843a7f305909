// Disclosure control of snapshot bodies: every count (gauges, beds, today's and the last hour's
// counters) is a cell; the relations a reader can difference are the age split, parent = sum of
// children across the tree, the last hour within today, and the nesting of figures (over 12 hours
// within departures, and so on). Rates are then computed from the published counts.
import {
  BED_FIGURES,
  COUNTER_FIGURES,
  DEPRECATED_COUNTER_ALIASES,
  GAUGE_FIGURES,
  HOUR_MS,
  type CounterFigure,
  type GaugeFigure,
  type RateSplit,
} from '@pulse/kpi';
import type { Renderer } from './cells.js';
import { controlTree, Layout, ratio, SPLIT_KEYS, type BodyCells } from './cells.js';
import { checkDuration } from './rules.js';
import type { DecideOptions, Table } from './table.js';
import type {
  ControlledPeriod,
  ControlledSnapshot,
  Family,
  NullableSplit,
  PeriodBody,
  SnapshotBody,
} from './types.js';

/** Milliseconds, not people: controlled through its base count, ambulance_handovers. */
const MS_LOST: CounterFigure = 'ambulance_handover_ms_lost';
const COUNTS = COUNTER_FIGURES.filter((f) => f !== MS_LOST);
const PERIODS = ['today', 'lastHour'] as const;

/** Figures that are parts of another, per age group: sum(parts) <= whole. */
const COUNTER_NESTING: readonly (readonly [readonly CounterFigure[], CounterFigure])[] = [
  [['ed_attendances_ambulance'], 'ed_attendances'],
  [['ed_departures_within_4h', 'ed_departures_over_12h'], 'ed_departures'],
  [['ed_departures_admitted'], 'ed_departures'],
  [['ambulance_handovers_over_30m'], 'ambulance_handovers'],
  [['ambulance_handovers_over_60m'], 'ambulance_handovers_over_30m'],
];
/** Every discharge has one destination; those not meeting the criteria to reside are some of them. */
const DISCHARGES = COUNTS.filter(
  (f) => f.startsWith('discharges_') && f !== 'discharges_not_meeting_ctr',
);
const GAUGE_NESTING: readonly (readonly [GaugeFigure, GaugeFigure])[] = [
  ['ed_in_department_over_12h', 'ed_in_department'],
  ['rtt_over_18w', 'rtt_waiting'],
  ['rtt_over_52w', 'rtt_over_18w'],
  ['rtt_over_65w', 'rtt_over_52w'],
];

/** Relations placed only when the body's last hour lies within its today. */
const LAST_HOUR_WITHIN_TODAY = 'last hour within today';

/** A snapshot body's counts and their relations, worked out once (see Layout). */
let layout: Layout<SnapshotBody> | undefined;

function snapshotLayout(): Layout<SnapshotBody> {
  if (layout) return layout;
  const l = new Layout<SnapshotBody>();
  for (const g of GAUGE_FIGURES) l.split(`/live/gauges/${g}`, (b) => b.live.gauges[g]);
  for (const bed of BED_FIGURES) l.count(`/live/beds/${bed}`, (b) => b.live.beds[bed]);
  l.relate(['/live/beds/ga_beds_occupied'], ['/live/beds/ga_beds_open'], 'le');
  for (const period of PERIODS) {
    for (const f of COUNTS) l.split(`/${period}/counters/${f}`, (b) => b[period].counters[f]);
  }
  for (const key of SPLIT_KEYS) {
    const gauge = (g: GaugeFigure) => `/live/gauges/${g}/${key}`;
    for (const [part, whole] of GAUGE_NESTING) l.relate([gauge(part)], [gauge(whole)], 'le');
    for (const period of PERIODS) {
      const counter = (f: CounterFigure) => `/${period}/counters/${f}/${key}`;
      for (const [parts, whole] of COUNTER_NESTING) {
        l.relate(parts.map(counter), [counter(whole)], 'le');
      }
      l.relate([counter('discharges_not_meeting_ctr')], DISCHARGES.map(counter), 'le');
    }
    for (const f of COUNTS) {
      const counter = (p: string) => `/${p}/counters/${f}/${key}`;
      l.relate([counter('lastHour')], [counter('today')], 'le', LAST_HOUR_WITHIN_TODAY);
    }
  }
  return (layout = l);
}

function addBody(table: Table, body: SnapshotBody): BodyCells {
  const groups = hourWithinDay(body.lastHour, body.today) ? [LAST_HOUR_WITHIN_TODAY] : [];
  return snapshotLayout().place(table, body, body.scope.kind === 'england', groups);
}

function hourWithinDay(hour: PeriodBody, day: PeriodBody): boolean {
  const [hf, ht, df, dt] = [hour.from, hour.to, day.from, day.to].map((t) => Date.parse(t));
  return hf! >= df! && ht! <= dt! && ht! - hf! <= HOUR_MS;
}

function period<P extends PeriodBody>(
  r: Renderer,
  name: (typeof PERIODS)[number],
  body: P,
): ControlledPeriod<P> {
  const base = `/${name}`;
  const counters = {} as Record<CounterFigure, NullableSplit>;
  for (const f of COUNTER_FIGURES) {
    if (f !== MS_LOST) {
      counters[f] = r.split(`${base}/counters/${f}`);
      continue;
    }
    const lost = {} as NullableSplit;
    for (const key of SPLIT_KEYS) {
      lost[key] = r.derived(
        `${base}/counters/${MS_LOST}/${key}`,
        [`${base}/counters/ambulance_handovers/${key}`],
        () => checkDuration(body.counters[MS_LOST][key], `${base}/counters/${MS_LOST}/${key}`),
      );
    }
    counters[f] = lost;
  }
  // A deprecated former name shows its figure's published split (never the exact one it carries).
  for (const [alias, figure] of Object.entries(DEPRECATED_COUNTER_ALIASES)) {
    if (!(alias in body.counters)) continue;
    (counters as Record<string, NullableSplit>)[alias] = { ...counters[figure] };
    for (const key of SPLIT_KEYS) {
      if (counters[figure][key] === null && r.hidden(`${base}/counters/${figure}/${key}`)) {
        r.suppressed.push({ path: `${base}/counters/${alias}/${key}`, reason: 'suppressed' });
      }
    }
  }
  const share = {} as RateSplit;
  const pct = {} as RateSplit;
  const hoursLost = {} as NullableSplit;
  for (const key of SPLIT_KEYS) {
    const within = `${base}/counters/ed_departures_within_4h/${key}`;
    const departures = `${base}/counters/ed_departures/${key}`;
    share[key] = r.derived(`${base}/rates/ed_within_4h_share/${key}`, [within, departures], () =>
      ratio(counters.ed_departures_within_4h[key]!, counters.ed_departures[key]!),
    );
    // The same share in per cent, to 1 decimal as the feeds API rounds it.
    pct[key] = r.derived(`${base}/rates/ed_within_4h_pct/${key}`, [within, departures], () => {
      const value = ratio(
        counters.ed_departures_within_4h[key]!,
        counters.ed_departures[key]!,
        100,
      );
      return value === null ? null : Math.round(value * 10) / 10;
    });
  }
  for (const key of SPLIT_KEYS) {
    hoursLost[key] = r.derived(
      `${base}/rates/ambulance_handover_hours_lost/${key}`,
      [`${base}/counters/ambulance_handovers/${key}`],
      () => counters[MS_LOST][key]! / HOUR_MS,
    );
  }
  // counters holds every figure of the catalogue and each former name the body carried
  return {
    ...body,
    counters,
    rates: {
      ...('ed_within_4h_pct' in body.rates ? { ed_within_4h_pct: pct } : {}),
      ed_within_4h_share: share,
      ambulance_handover_hours_lost: hoursLost,
    },
  } as ControlledPeriod<P>;
}

function render<B extends SnapshotBody>(r: Renderer, body: B): ControlledSnapshot<B> {
  const gauges = Object.fromEntries(
    GAUGE_FIGURES.map((g) => [g, r.split(`/live/gauges/${g}`)]),
  ) as ControlledSnapshot['live']['gauges'];
  const beds = Object.fromEntries(
    BED_FIGURES.map((b) => [b, r.count(`/live/beds/${b}`)]),
  ) as ControlledSnapshot['live']['beds'];
  const occupancy = r.derived(
    '/live/ga_occupancy_pct',
    ['/live/beds/ga_beds_occupied', '/live/beds/ga_beds_open'],
    () => ratio(beds.ga_beds_occupied!, beds.ga_beds_open!, 100),
  );
  const live = { ...body.live, gauges, beds, ga_occupancy_pct: occupancy };
  const today = period(r, 'today', body.today);
  const lastHour = period(r, 'lastHour', body.lastHour);
  // The body's other fields pass through; TypeScript cannot see that spreading then overriding
  // gives the Omit<…> & … of ControlledSnapshot for a generic B.
  return {
    ...body,
    live,
    today,
    lastHour,
    disclosure: body.scope.kind === 'england' ? 'exact' : 'controlled',
    suppressed: r.suppressed,
  } as unknown as ControlledSnapshot<B>;
}

/** controlSnapshotTree with its switches; tests use it to show what secondary suppression stops. */
export function controlSnapshotTreeWith<B extends SnapshotBody>(
  tree: Family<B>,
  options: DecideOptions,
): Family<ControlledSnapshot<B>> {
  return controlTree(tree, options, addBody, render);
}

/**
 * Controls every body of a tree together (see Family): the public-tier form of each scope. Give
 * it the whole structure of the day (England, its regions, their ICBs, their trusts) and serve
 * each scope's body from the result, so that every response hides the same values.
 */
export function controlSnapshotTree<B extends SnapshotBody>(
  tree: Family<B>,
): Family<ControlledSnapshot<B>> {
  return controlSnapshotTreeWith(tree, { secondary: true });
}

/**
 * Controls one snapshot body on its own: protects against differencing within it (the age split,
 * the last hour within today, nested figures), not against other scopes' responses; for those use
 * controlSnapshotTree. England's body comes back exact.
 */
export function controlSnapshot<B extends SnapshotBody>(body: B): ControlledSnapshot<B> {
  return controlSnapshotTree({ body }).body;
}
