// Shared by the snapshot and series controls: registering split counts as cells under their JSON
// pointers, the family relations between a tree's bodies, and rendering a decision back.
import { AGE_GROUPS } from '@pulse/kpi';
import { checkCount, roundToBase } from './rules.js';
import { decide, Table, type CellState, type DecideOptions } from './table.js';
import type { Family, NullableSplit, Suppression } from './types.js';

export const SPLIT_KEYS = [...AGE_GROUPS, 'total'] as const;

/** The cells of one body, by JSON pointer. */
export type BodyCells = Map<string, number>;

export function addSplit(
  table: Table,
  cells: BodyCells,
  path: string,
  split: NullableSplit,
  national: boolean,
): void {
  const ids = SPLIT_KEYS.map((key) => {
    const id = table.add(checkCount(split[key], `${path}/${key}`), national);
    cells.set(`${path}/${key}`, id);
    return id;
  });
  // child + adult + unknown - total = 0
  table.relate(ids.slice(0, 3), [ids[3]!], 'eq');
}

/** parent = sum of children, for every cell the parent has, in every family of the tree. */
export function relateFamilies<B>(
  table: Table,
  tree: Family<B>,
  cellsOf: Map<Family<B>, BodyCells>,
): void {
  const children = tree.children ?? [];
  if (children.length > 0) {
    for (const [path, parent] of cellsOf.get(tree)!) {
      const parts = children.map((c) => cellsOf.get(c)!.get(path));
      if (parts.every((p) => p !== undefined)) table.relate(parts as number[], [parent], 'eq');
    }
  }
  for (const child of children) relateFamilies(table, child, cellsOf);
}

/** Every node of a tree, parents before children. */
export function nodesOf<B>(tree: Family<B>): Family<B>[] {
  return [tree, ...(tree.children ?? []).flatMap((c) => nodesOf(c))];
}

/** Renders decisions: the published value of cells, and the suppressions in the order asked. */
export class Renderer {
  readonly suppressed: Suppression[] = [];

  constructor(
    private readonly table: Table,
    private readonly state: readonly CellState[],
    private readonly cells: BodyCells,
  ) {}

  /** Whether the cell at path is hidden (primary or secondary). */
  hidden(path: string): boolean {
    return this.state[this.cells.get(path)!] !== 'shown';
  }

  /** The published count at path, recording a suppression. */
  count(path: string): number | null {
    const id = this.cells.get(path)!;
    const state = this.state[id]!;
    if (state !== 'shown') {
      this.suppressed.push({ path, reason: 'suppressed' });
      return null;
    }
    const { value, national } = this.table.cells[id]!;
    return national ? value : roundToBase(value);
  }

  split(path: string): NullableSplit {
    const [child, adult, unknown, total] = SPLIT_KEYS.map((k) => this.count(`${path}/${k}`));
    return { child: child!, adult: adult!, unknown: unknown!, total: total! };
  }

  /** A value derived from counts: null, recorded as derived, if any of them is hidden. */
  derived<T>(path: string, bases: readonly string[], value: () => T): T | null {
    if (bases.some((b) => this.hidden(b))) {
      this.suppressed.push({ path, reason: 'derived' });
      return null;
    }
    return value();
  }
}

/** numerator / denominator x scale, null when the denominator is 0 (as @pulse/kpi deriveRates). */
export function ratio(numerator: number, denominator: number, scale = 1): number | null {
  return denominator === 0 ? null : (numerator / denominator) * scale;
}

/**
 * Controls a tree: the cells of every body, the parent = sum relations, one decision over all of
 * them, then each body rendered from it, in the tree's shape.
 */
export function controlTree<B, C>(
  tree: Family<B>,
  options: DecideOptions,
  addBody: (table: Table, body: B) => BodyCells,
  render: (r: Renderer, body: B) => C,
): Family<C> {
  const table = new Table();
  const cellsOf = new Map<Family<B>, BodyCells>();
  for (const node of nodesOf(tree)) cellsOf.set(node, addBody(table, node.body));
  relateFamilies(table, tree, cellsOf);
  const state = decide(table, options);
  const build = (node: Family<B>): Family<C> => {
    const body = render(new Renderer(table, state, cellsOf.get(node)!), node.body);
    const children = node.children?.map(build);
    return children ? { body, children } : { body };
  };
  return build(tree);
}
