// The disclosure decision over a set of counts and the linear relations a reader can difference:
// primary suppression (1 to 7 below national level), secondary suppression until no relation has
// exactly one hidden count, then an audit that bounds every hidden count the way an attacker
// would (interval arithmetic over every relation, repeated to a fixed point) and hides one more
// count wherever a primary one is pinned to a single value. Pure; the same input always gives the
// same decision, so repeated requests cannot be averaged out.
import { DisclosureError } from './errors.js';
import { isSmall, ROUNDING_SLACK, roundToBase, SMALLEST_PUBLISHED } from './rules.js';

/** One count: its true value, and whether it is national (published exactly). */
export interface Cell {
  value: number;
  national: boolean;
}

/**
 * sum(plus) - sum(minus) = 0 ('eq', e.g. child + adult + unknown - total) or <= 0 ('le', e.g.
 * over 12 hours - in department).
 */
export interface Relation {
  plus: readonly number[];
  minus: readonly number[];
  kind: 'eq' | 'le';
  /** plus then minus. */
  cells: readonly number[];
}

/** shown: published (rounded below national level); primary: 1 to 7; secondary: hidden to protect. */
export type CellState = 'shown' | 'primary' | 'secondary';

export interface DecideOptions {
  /** Secondary suppression and the audit; off only to show, in tests, what they prevent. */
  secondary: boolean;
}

/** Cells and the relations between them, only those that hold in the data. */
export class Table {
  readonly cells: Cell[] = [];
  readonly relations: Relation[] = [];

  /** Adds a count; returns its index. */
  add(value: number, national: boolean): number {
    this.cells.push({ value, national });
    return this.cells.length - 1;
  }

  /** Records a relation if it holds for the true values (one that does not is no help to anyone). */
  relate(plus: readonly number[], minus: readonly number[], kind: Relation['kind']): void {
    let difference = 0;
    for (const i of plus) difference += this.cells[i]!.value;
    for (const i of minus) difference -= this.cells[i]!.value;
    if (kind === 'eq' ? difference === 0 : difference <= 0) {
      this.relations.push({ plus, minus, kind, cells: [...plus, ...minus] });
    }
  }
}

/** What a reader knows of a count from its published form: the integers it can be, lo to hi. */
export interface Bounds {
  lo: Float64Array;
  hi: Float64Array;
}

/** The bounds a reader starts from, before using any relation. */
export function publishedBounds(table: Table, state: readonly CellState[]): Bounds {
  const n = table.cells.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  table.cells.forEach((cell, i) => {
    const s = state[i]!;
    if (cell.national) {
      lo[i] = hi[i] = cell.value;
    } else if (s !== 'shown') {
      // Published as null whether primary or secondary: 1 to 7, 0, or 8 and over.
      lo[i] = 0;
      hi[i] = Number.POSITIVE_INFINITY;
    } else if (cell.value === 0) {
      lo[i] = hi[i] = 0;
    } else {
      const rounded = roundToBase(cell.value);
      lo[i] = Math.max(SMALLEST_PUBLISHED, rounded - ROUNDING_SLACK);
      hi[i] = rounded + ROUNDING_SLACK;
    }
  });
  return { lo, hi };
}

/**
 * Narrows the bounds with every relation until nothing changes: what differencing, repeated,
 * tells a reader. It ends: the relations hold for the true values, so every bound stays on its
 * side of the true value and each change moves it by at least 1 towards it.
 */
export function propagate(
  table: Table,
  bounds: Bounds,
  byCell: readonly number[][] = relationsByCell(table),
): void {
  const queued = new Uint8Array(table.relations.length).fill(1);
  const queue = table.relations.map((_, k) => k);
  const tighten = (i: number, lo: number, hi: number) => {
    let changed = false;
    if (lo > bounds.lo[i]!) {
      bounds.lo[i] = lo;
      changed = true;
    }
    if (hi < bounds.hi[i]!) {
      bounds.hi[i] = hi;
      changed = true;
    }
    if (!changed) return;
    if (bounds.lo[i]! > bounds.hi[i]!) {
      throw new DisclosureError(
        'UNPROTECTABLE',
        `count ${i} has no value left: inconsistent input`,
      );
    }
    for (const k of byCell[i]!) {
      if (!queued[k]) {
        queued[k] = 1;
        queue.push(k);
      }
    }
  };
  const { lo, hi } = bounds;
  const INF = Number.POSITIVE_INFINITY;
  for (let head = 0; head < queue.length; head++) {
    const k = queue[head]!;
    queued[k] = 0;
    const r = table.relations[k]!;
    // sum(plus) - sum(minus) lies in [least, 0]; upper sums kept as a finite part and a count of
    // infinite terms, so that one term can be taken out again
    const least = r.kind === 'eq' ? 0 : Number.NEGATIVE_INFINITY;
    let pLo = 0;
    let pHi = 0;
    let pInf = 0;
    let mLo = 0;
    let mHi = 0;
    let mInf = 0;
    for (const i of r.plus) {
      pLo += lo[i]!;
      if (hi[i] === INF) pInf++;
      else pHi += hi[i]!;
    }
    for (const i of r.minus) {
      mLo += lo[i]!;
      if (hi[i] === INF) mInf++;
      else mHi += hi[i]!;
    }
    const mHiAll = mInf > 0 ? INF : mHi;
    const pHiAll = pInf > 0 ? INF : pHi;
    for (const i of r.plus) {
      const own = hi[i]!;
      const pHiRest = pInf - (own === INF ? 1 : 0) > 0 ? INF : pHi - (own === INF ? 0 : own);
      const restMin = pLo - lo[i]! - mHiAll;
      const restMax = pHiRest - mLo;
      tighten(i, least - restMax, -restMin);
    }
    for (const i of r.minus) {
      // i = sum(plus) - sum(other minus) - (the relation's value, in [least, 0])
      const own = hi[i]!;
      const mHiRest = mInf - (own === INF ? 1 : 0) > 0 ? INF : mHi - (own === INF ? 0 : own);
      tighten(i, pLo - mHiRest, pHiAll - (mLo - lo[i]!) - least);
    }
  }
}

/** The relations each cell is in. */
export function relationsByCell(table: Table): number[][] {
  const byCell: number[][] = table.cells.map(() => []);
  table.relations.forEach((r, k) => {
    for (const i of r.cells) byCell[i]!.push(k);
  });
  return byCell;
}

/** The primary counts whose bounds leave one value. */
function pinnedPrimaries(
  table: Table,
  state: readonly CellState[],
  byCell: readonly number[][],
): number[] {
  const bounds = publishedBounds(table, state);
  propagate(table, bounds, byCell);
  const pinned: number[] = [];
  for (let i = 0; i < state.length; i++) {
    if (state[i] === 'primary' && bounds.lo[i] === bounds.hi[i]) pinned.push(i);
  }
  return pinned;
}

/**
 * The count to hide next in a relation: a shown sub-national one, the smallest non-zero first (it
 * costs readers least), then a zero; ties to the first listed, so the choice is deterministic.
 */
function candidate(table: Table, state: readonly CellState[], r: Relation): number | undefined {
  let best: number | undefined;
  const rank = (i: number) => {
    const v = table.cells[i]!.value;
    return v === 0 ? Number.POSITIVE_INFINITY : v;
  };
  for (const i of r.cells) {
    if (state[i] !== 'shown' || table.cells[i]!.national) continue;
    if (best === undefined || rank(i) < rank(best)) best = i;
  }
  return best;
}

function hiddenIn(state: readonly CellState[], r: Relation): number {
  let n = 0;
  for (const i of r.cells) if (state[i] !== 'shown') n++;
  return n;
}

/** Hides a second count in every equality that hides exactly one, until none does. */
function complementEqualities(
  table: Table,
  state: CellState[],
  relationsOf: readonly number[][],
  queue: number[],
): void {
  for (let head = 0; head < queue.length; head++) {
    const r = table.relations[queue[head]!]!;
    if (r.kind !== 'eq' || hiddenIn(state, r) !== 1) continue;
    const next = candidate(table, state, r);
    if (next === undefined) continue;
    state[next] = 'secondary';
    queue.push(...relationsOf[next]!);
  }
}

/**
 * The count to hide for a pinned one: a candidate in its own relations (equalities first), else in
 * those of the counts related to it, breadth first.
 */
function nextToHide(
  table: Table,
  state: readonly CellState[],
  pinned: number,
  relationsOf: readonly number[][],
): number | undefined {
  const seen = new Set([pinned]);
  for (let frontier = [pinned]; frontier.length > 0;) {
    const next: number[] = [];
    for (const cell of frontier) {
      // equalities first: hiding a count in one blocks differencing outright
      const own = relationsOf[cell]!.map((k) => table.relations[k]!);
      for (const r of [
        ...own.filter((x) => x.kind === 'eq'),
        ...own.filter((x) => x.kind !== 'eq'),
      ]) {
        const found = candidate(table, state, r);
        if (found !== undefined) return found;
        for (const i of r.cells) {
          if (!seen.has(i)) {
            seen.add(i);
            next.push(i);
          }
        }
      }
    }
    frontier = next;
  }
  return undefined;
}

/** Decides which counts are shown, suppressed as small (primary) or suppressed to protect them. */
export function decide(table: Table, options: DecideOptions = { secondary: true }): CellState[] {
  const state: CellState[] = table.cells.map((c) =>
    !c.national && isSmall(c.value) ? 'primary' : 'shown',
  );
  if (!options.secondary) return state;
  const relationsOf = relationsByCell(table);
  // every relation at first, then those of each newly hidden count
  let queue = table.relations.map((_, k) => k);
  for (;;) {
    complementEqualities(table, state, relationsOf, queue);
    const pinned = pinnedPrimaries(table, state, relationsOf);
    if (pinned.length === 0) return state;
    queue = [];
    for (const cell of pinned) {
      const next = nextToHide(table, state, cell, relationsOf);
      if (next === undefined) {
        throw new DisclosureError(
          'UNPROTECTABLE',
          `suppressed count ${cell} can be recovered and nothing related to it can be hidden`,
        );
      }
      state[next] = 'secondary';
      queue.push(...relationsOf[next]!);
    }
  }
}
