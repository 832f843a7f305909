// An attacker who holds every controlled body of a tree, knows the method (a published count c > 0
// is the true one rounded, so within c - 2 .. c + 2 and at least 8; 0 is 0; national counts are
// exact) and every relation that holds between the figures, and tries to recover suppressed values
// exactly. Written apart from the package's own audit: it differences every relation repeatedly
// (interval arithmetic to a fixed point), then probes each suppressed value in turn (each value it
// could have, the rest of the system re-solved) and keeps those that do not contradict.
//
// What it knows of a suppressed count is a parameter: by default that it is some count (null says
// nothing more); given the set of primary ones, that those are 1 to 7 and the others are not.
import { COUNTER_FIGURES, GAUGE_FIGURES } from '@pulse/kpi';
import type { ControlledSeries, ControlledSnapshot, Family } from '../src/index.js';

interface Var {
  path: string;
  lo: number;
  hi: number;
  /** Known not to be 1..7 (a secondary suppression: it would be primary otherwise). */
  gap: boolean;
  hidden: boolean;
}

/** sum(terms) in [min, max]; terms are +1 or -1 times a variable. */
interface Constraint {
  terms: { v: number; sign: 1 | -1 }[];
  min: number;
  max: number;
  kind: string;
}

export interface Recovery {
  body: string;
  path: string;
  value: number;
  how: 'differencing' | 'probing';
}

const GROUPS = ['child', 'adult', 'unknown', 'total'] as const;
const INF = Number.POSITIVE_INFINITY;

class Model {
  readonly vars: Var[] = [];
  readonly index = new Map<string, number>();
  readonly constraints: Constraint[] = [];
  readonly kinds = new Map<string, number>();

  constructor(private readonly primaries?: ReadonlySet<string>) {}

  variable(key: string, published: number | null, national: boolean) {
    const v: Var = { path: key, lo: 0, hi: INF, gap: false, hidden: published === null };
    if (published !== null) {
      if (national || published === 0) v.lo = v.hi = published;
      else [v.lo, v.hi] = [Math.max(8, published - 2), published + 2];
    } else if (this.primaries?.has(key)) {
      [v.lo, v.hi] = [1, 7];
    } else if (this.primaries) {
      v.gap = true;
    }
    this.index.set(key, this.vars.push(v) - 1);
  }

  /** sum(plus) - sum(minus) in [min, max]. */
  add(kind: string, plus: string[], minus: string[], min = 0, max = 0) {
    const ids = [...plus, ...minus].map((k) => this.index.get(k));
    if (ids.some((i) => i === undefined)) return;
    const terms = ids.map((v, j) => ({ v: v!, sign: (j < plus.length ? 1 : -1) as 1 | -1 }));
    this.constraints.push({ terms, min, max, kind });
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
  }
}

/** The constraints of each variable. */
function constraintsOf(model: Model): number[][] {
  const of: number[][] = model.vars.map(() => []);
  model.constraints.forEach((c, k) => {
    for (const t of c.terms) of[t.v]!.push(k);
  });
  return of;
}

/** Narrows lo/hi to a fixed point; false on a contradiction. */
function solve(
  model: Model,
  of: number[][],
  lo: Float64Array,
  hi: Float64Array,
  start?: number,
): boolean {
  const queue = start === undefined ? model.constraints.map((_, k) => k) : [...of[start]!];
  const inQueue = new Uint8Array(model.constraints.length);
  for (const k of queue) inQueue[k] = 1;
  for (let head = 0; head < queue.length; head++) {
    const k = queue[head]!;
    inQueue[k] = 0;
    const c = model.constraints[k]!;
    // each term's range: sign * [lo, hi]
    const range = c.terms.map((t) =>
      t.sign === 1 ? [lo[t.v]!, hi[t.v]!] : [-hi[t.v]!, -lo[t.v]!],
    );
    for (let j = 0; j < c.terms.length; j++) {
      let restMin = 0;
      let restMax = 0;
      range.forEach(([a, b], i) => {
        if (i === j) return;
        restMin += a!;
        restMax += b!;
      });
      // term in [c.min - restMax, c.max - restMin]
      const [tmin, tmax] = [c.min - restMax, c.max - restMin];
      const t = c.terms[j]!;
      let [nlo, nhi] = t.sign === 1 ? [tmin, tmax] : [-tmax, -tmin];
      const v = model.vars[t.v]!;
      nlo = Math.max(lo[t.v]!, Number.isNaN(nlo) ? -INF : nlo);
      nhi = Math.min(hi[t.v]!, Number.isNaN(nhi) ? INF : nhi);
      if (v.gap) {
        if (nlo >= 1 && nlo <= 7) nlo = 8;
        if (nhi >= 1 && nhi <= 7) nhi = 0;
      }
      if (nlo > nhi) return false;
      if (nlo !== lo[t.v] || nhi !== hi[t.v]) {
        lo[t.v] = nlo;
        hi[t.v] = nhi;
        range[j] = t.sign === 1 ? [nlo, nhi] : [-nhi, -nlo];
        for (const other of of[t.v]!) {
          if (!inQueue[other]) {
            inQueue[other] = 1;
            queue.push(other);
          }
        }
      }
    }
  }
  return true;
}

/** Every suppressed value the attacker pins to one value, by differencing and then by probing. */
function attack(model: Model, probe: boolean, targets?: ReadonlySet<string>): Recovery[] {
  const lo = Float64Array.from(model.vars, (v) => v.lo);
  const hi = Float64Array.from(model.vars, (v) => v.hi);
  const of = constraintsOf(model);
  if (!solve(model, of, lo, hi)) throw new Error('the published bodies contradict the relations');
  const found: Recovery[] = [];
  model.vars.forEach((v, i) => {
    if (!v.hidden) return;
    const [body, path] = split(v.path);
    if (lo[i] === hi[i]) {
      found.push({ body, path, value: lo[i]!, how: 'differencing' });
      return;
    }
    if (!probe || (targets && !targets.has(v.path))) return;
    const possible: number[] = [];
    const feasible = (from: number, to: number) => {
      const l = lo.slice();
      const h = hi.slice();
      l[i] = from;
      h[i] = to;
      return solve(model, of, l, h, i);
    };
    // value by value over the first few dozen, then the rest of the range at once
    const last = Math.min(hi[i]!, lo[i]! + 40);
    for (let value = lo[i]!; value <= last && possible.length < 2; value++) {
      if (feasible(value, value)) possible.push(value);
    }
    if (possible.length < 2 && last < hi[i]! && feasible(last + 1, hi[i]!)) possible.push(last + 1);
    if (possible.length === 1) found.push({ body, path, value: possible[0]!, how: 'probing' });
  });
  return found;
}

function split(key: string): [string, string] {
  const at = key.indexOf('#');
  return [key.slice(0, at), key.slice(at + 1)];
}

function nodes<B>(tree: Family<B>, parent?: Family<B>): { node: Family<B>; parent?: Family<B> }[] {
  return [{ node: tree, parent }, ...(tree.children ?? []).flatMap((c) => nodes(c, tree))];
}

type Scoped = { scope: { kind: string; code?: string } };
/** The attacker's name of a count: `<scope code>#<JSON pointer>`. */
export const keyOf = (b: Scoped, path: string) => `${b.scope.code ?? b.scope.kind}#${path}`;
const nameOf = (b: Scoped) => b.scope.code ?? b.scope.kind;

function read(model: Model, body: Scoped, path: string, value: number | null) {
  model.variable(keyOf(body, path), value, body.scope.kind === 'england');
}

export interface AttackOptions {
  /** Probe each suppressed value (slower, stronger); default true. */
  probe?: boolean;
  /** The suppressed counts known to be primary (1 to 7); default: not known. */
  primaries?: ReadonlySet<string>;
  /** The suppressed counts to probe (default all); differencing covers every one regardless. */
  targets?: ReadonlySet<string>;
}

function family<B extends Scoped>(model: Model, tree: Family<B>, paths: readonly string[]) {
  for (const { node } of nodes(tree)) {
    const children = node.children ?? [];
    if (children.length === 0) continue;
    for (const p of paths) {
      model.add(
        'parent = sum of children',
        children.map((c) => `${nameOf(c.body)}#${p}`),
        [`${nameOf(node.body)}#${p}`],
      );
    }
  }
}

const COUNTS = COUNTER_FIGURES.filter((f) => f !== 'ambulance_handover_ms_lost');

/** Attacks a controlled snapshot tree; `probe` adds the value-by-value probing. */
export function attackSnapshots(tree: Family<ControlledSnapshot>, options: AttackOptions = {}) {
  const model = new Model(options.primaries);
  const splits = [
    ...GAUGE_FIGURES.map((g) => `/live/gauges/${g}`),
    ...['today', 'lastHour'].flatMap((p) => COUNTS.map((f) => `/${p}/counters/${f}`)),
  ];
  const paths = [
    ...splits.flatMap((s) => GROUPS.map((g) => `${s}/${g}`)),
    '/live/beds/ga_beds_open',
    '/live/beds/ga_beds_occupied',
  ];
  for (const { node } of nodes(tree)) {
    const b = node.body;
    for (const p of paths) read(model, b, p, pointer(b, p));
    const n = nameOf(b);
    for (const s of splits) {
      model.add(
        'child + adult + unknown = total',
        ['child', 'adult', 'unknown'].map((g) => `${n}#${s}/${g}`),
        [`${n}#${s}/total`],
      );
    }
    model.add(
      'occupied <= open',
      [`${n}#/live/beds/ga_beds_occupied`],
      [`${n}#/live/beds/ga_beds_open`],
      -INF,
      0,
    );
    for (const g of GROUPS) {
      const le = (kind: string, parts: string[], whole: string) =>
        model.add(
          kind,
          parts.map((p) => `${n}#${p}/${g}`),
          [`${n}#${whole}/${g}`],
          -INF,
          0,
        );
      for (const f of COUNTS)
        le('last hour <= today', [`/lastHour/counters/${f}`], `/today/counters/${f}`);
      const gauge = (f: string) => `/live/gauges/${f}`;
      le('nested gauges', [gauge('ed_in_department_over_12h')], gauge('ed_in_department'));
      le('nested gauges', [gauge('rtt_over_65w')], gauge('rtt_over_52w'));
      le('nested gauges', [gauge('rtt_over_52w')], gauge('rtt_over_18w'));
      le('nested gauges', [gauge('rtt_over_18w')], gauge('rtt_waiting'));
      for (const p of ['today', 'lastHour']) {
        const c = (f: string) => `/${p}/counters/${f}`;
        le(
          'nested counters',
          [c('ed_departures_within_4h'), c('ed_departures_over_12h')],
          c('ed_departures'),
        );
        le('nested counters', [c('ed_departures_admitted')], c('ed_departures'));
        le('nested counters', [c('ed_attendances_ambulance')], c('ed_attendances'));
        le(
          'nested counters',
          [c('ambulance_handovers_over_60m')],
          c('ambulance_handovers_over_30m'),
        );
        le('nested counters', [c('ambulance_handovers_over_30m')], c('ambulance_handovers'));
      }
    }
  }
  family(model, tree, paths);
  return {
    recovered: attack(model, options.probe ?? true, options.targets),
    relations: model.kinds,
  };
}

/** Attacks a controlled series tree. */
export function attackSeries(tree: Family<ControlledSeries>, options: AttackOptions = {}) {
  const model = new Model(options.primaries);
  const points = tree.body.points.length;
  const paths = Array.from({ length: points }, (_, i) =>
    GROUPS.map((g) => `/points/${i}/value/${g}`),
  ).flat();
  for (const { node } of nodes(tree)) {
    const b = node.body;
    for (const p of paths) read(model, b, p, pointer(b, p));
    const n = nameOf(b);
    for (let i = 0; i < points; i++) {
      const s = `${n}#/points/${i}/value`;
      model.add(
        'child + adult + unknown = total',
        [`${s}/child`, `${s}/adult`, `${s}/unknown`],
        [`${s}/total`],
      );
    }
  }
  family(model, tree, paths);
  return {
    recovered: attack(model, options.probe ?? true, options.targets),
    relations: model.kinds,
  };
}

/** The value at a JSON pointer. */
export function pointer(body: unknown, path: string): number | null {
  let at: unknown = body;
  for (const key of path.split('/').slice(1)) at = (at as Record<string, unknown>)[key];
  return at as number | null;
}
