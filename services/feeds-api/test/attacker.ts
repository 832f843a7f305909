// A reader of the public tier who differences what it fetched: every published value as the
// interval it can be (a shown count c > 0 is max(8, c - 2) .. c + 2, a shown 0 is 0, a national
// count is exact, a null is any count >= 0, a series point shown null or with coverage saying
// nobody reported is 0), narrowed with every relation it knows (the age split,
// parent = sum of children, the last hour within today) until nothing changes. Written apart from
// @pulse/disclosure's control, from the published method (docs/disclosure.md).
import {
  AGE_GROUPS,
  BED_FIGURES,
  COUNTER_FIGURES,
  FIGURE_FAMILY,
  GAUGE_FIGURES,
  type CounterFigure,
} from '@pulse/kpi';

const KEYS = [...AGE_GROUPS, 'total'] as const;
const COUNTS = COUNTER_FIGURES.filter((f) => f !== 'ambulance_handover_ms_lost');

interface Cell {
  lo: number;
  hi: number;
  /** The exact value (from a token that sees it). */
  truth: number;
  published: number | null;
}

interface Relation {
  plus: string[];
  minus: string[];
  kind: 'eq' | 'le';
}

type Json = Record<string, unknown>;

function at(body: unknown, path: string): unknown {
  let v = body;
  for (const part of path.split('/').slice(1)) v = (v as Json | null)?.[part];
  return v;
}

/** The count paths of a snapshot body, and its own relations (split, last hour within today). */
export function snapshotPaths(): {
  paths: string[];
  relations: [string[], string[], 'eq' | 'le'][];
} {
  const paths: string[] = [];
  const relations: [string[], string[], 'eq' | 'le'][] = [];
  const split = (base: string) => {
    for (const key of KEYS) paths.push(`${base}/${key}`);
    relations.push([AGE_GROUPS.map((g) => `${base}/${g}`), [`${base}/total`], 'eq']);
  };
  for (const g of GAUGE_FIGURES) split(`/live/gauges/${g}`);
  for (const b of BED_FIGURES) paths.push(`/live/beds/${b}`);
  for (const f of COUNTS) {
    split(`/today/counters/${f}`);
    split(`/lastHour/counters/${f}`);
    for (const key of KEYS)
      relations.push([[`/lastHour/counters/${f}/${key}`], [`/today/counters/${f}/${key}`], 'le']);
  }
  return { paths, relations };
}

/** The count paths of a series body of n points, and each point's split. */
export function seriesPaths(n: number): {
  paths: string[];
  relations: [string[], string[], 'eq' | 'le'][];
} {
  const paths: string[] = [];
  const relations: [string[], string[], 'eq' | 'le'][] = [];
  for (let i = 0; i < n; i++) {
    const base = `/points/${i}/value`;
    for (const key of KEYS) paths.push(`${base}/${key}`);
    relations.push([AGE_GROUPS.map((g) => `${base}/${g}`), [`${base}/total`], 'eq']);
  }
  return { paths, relations };
}

export class Attacker {
  private readonly cells = new Map<string, Cell>();
  private readonly relations: Relation[] = [];

  /** A scope's published body beside its exact one (`name` identifies the scope). */
  addBody(
    name: string,
    published: unknown,
    exact: unknown,
    national: boolean,
    shape: ReturnType<typeof snapshotPaths>,
  ): void {
    for (const path of shape.paths) {
      const p = (at(published, path) ?? null) as number | null;
      const shown = (at(exact, path) ?? null) as number | null;
      // A series point the exact tier shows as null: nobody reported (or the future), so 0.
      const truth = shown ?? 0;
      // What the reader is told is 0: a point shown null (nothing known of it: nobody reported),
      // a point whose coverage says none of the scope's providers reported, or a last-hour count
      // of a scope whose completeness (over a window holding the last hour) says that none of its
      // providers sent an event, or (a trust) that it sent none of the family it is expected to.
      const point = /^\/points\/\d+/.exec(path)?.[0];
      const hour = /^\/lastHour\/counters\/(\w+)\//.exec(path)?.[1] as CounterFigure | undefined;
      const family = hour && at(published, `/completeness/families/${FIGURE_FAMILY[hour]}`);
      const told =
        (point !== undefined &&
          (at(published, `${point}/value`) === null ||
            at(published, `${point}/coverage/reported`) === 0)) ||
        (hour !== undefined &&
          (at(published, '/completeness/reported') === 0 ||
            (name.startsWith('t:') &&
              (family as Json | null)?.['expected'] === 1 &&
              (family as Json)['reported'] === 0)));
      if (told) {
        if (truth !== 0) throw new Error(`${name}${path}: shown as unreported, but ${truth}`);
        this.cells.set(`${name}${path}`, { lo: 0, hi: 0, truth: 0, published: null });
        continue;
      }
      if (typeof truth !== 'number') throw new Error(`${name}${path}: no exact value`);
      let lo = 0;
      let hi = Number.POSITIVE_INFINITY;
      if (national) {
        if (p !== truth) throw new Error(`${name}${path}: national value not exact`);
        lo = hi = p;
      } else if (p === 0) {
        lo = hi = 0;
      } else if (p !== null) {
        if (p % 5 !== 0) throw new Error(`${name}${path}: ${p} is not rounded to 5`);
        lo = Math.max(8, p - 2);
        hi = p + 2;
      }
      this.cells.set(`${name}${path}`, { lo, hi, truth, published: p });
    }
    for (const [plus, minus, kind] of shape.relations) {
      this.relations.push({
        plus: plus.map((p) => `${name}${p}`),
        minus: minus.map((p) => `${name}${p}`),
        kind,
      });
    }
  }

  /** parent = sum of children, for every path of the shape. */
  addFamily(parent: string, children: readonly string[], paths: readonly string[]): void {
    for (const path of paths) {
      this.relations.push({
        plus: children.map((c) => `${c}${path}`),
        minus: [`${parent}${path}`],
        kind: 'eq',
      });
    }
  }

  /** Narrows every interval to a fixed point. */
  propagate(): void {
    for (let changed = true, rounds = 0; changed && rounds < 10_000; rounds++) {
      changed = false;
      for (const r of this.relations) changed = this.narrow(r) || changed;
    }
  }

  private narrow(r: Relation): boolean {
    const get = (id: string) => this.cells.get(id)!;
    const sum = (ids: string[], side: 'lo' | 'hi', except?: string) =>
      ids.reduce((s, id) => (id === except ? s : s + get(id)[side]), 0);
    let changed = false;
    const tighten = (id: string, lo: number, hi: number) => {
      const c = get(id);
      if (lo > c.lo) {
        c.lo = lo;
        changed = true;
      }
      if (hi < c.hi) {
        c.hi = hi;
        changed = true;
      }
      if (c.lo > c.hi) throw new Error(`${id}: no value left (the relation does not hold)`);
    };
    // sum(plus) - sum(minus) = 0, or <= 0
    for (const id of r.plus) {
      const hi = sum(r.minus, 'hi') - sum(r.plus, 'lo', id);
      const lo = r.kind === 'eq' ? sum(r.minus, 'lo') - sum(r.plus, 'hi', id) : 0;
      tighten(id, Math.max(0, lo), hi);
    }
    for (const id of r.minus) {
      const lo = sum(r.plus, 'lo') - sum(r.minus, 'hi', id);
      const hi = r.kind === 'eq' ? sum(r.plus, 'hi') - sum(r.minus, 'lo', id) : Infinity;
      tighten(id, Math.max(0, lo), hi);
    }
    return changed;
  }

  /** Small counts (1 to 7) published as null. */
  primaries(): string[] {
    return [...this.cells]
      .filter(([, c]) => c.published === null && c.truth >= 1 && c.truth <= 7)
      .map(([id]) => id);
  }

  /** The primary values the attack pinned to their true value. */
  recovered(): string[] {
    return this.primaries().filter((id) => {
      const c = this.cells.get(id)!;
      return c.lo === c.hi && c.lo === c.truth;
    });
  }
}
