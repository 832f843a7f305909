// Shared by the snapshot and series controls: registering split counts as cells under their JSON
// pointers, the family relations between a tree's bodies, and rendering a decision back.
import { AGE_GROUPS } from '@pulse/kpi';
import { checkCount, roundToBase } from './rules.js';
import { decide, Table, type CellState, type DecideOptions, type Relation } from './table.js';
import type { Family, NullableSplit, Suppression } from './types.js';

export const SPLIT_KEYS = [...AGE_GROUPS, 'total'] as const;

/** A relation between counts of one body, by their offsets in its layout. */
interface RelationTemplate {
  plus: readonly number[];
  minus: readonly number[];
  kind: Relation['kind'];
}

/**
 * Where each count of a body shape goes (its JSON pointer, the offset of its cell) and the
 * relations among them, worked out once per shape; placing a body then needs no path strings.
 */
export class Layout<B> {
  readonly paths: string[] = [];
  readonly offsets = new Map<string, number>();
  private readonly reads: ((body: B) => number | null)[] = [];
  /** Counts readers know exactly whatever the body's level (see SeriesPoint.known). */
  private readonly known: boolean[] = [];
  private readonly groups = new Map<string, RelationTemplate[]>();

  count(path: string, read: (body: B) => number | null, known = false): void {
    this.offsets.set(path, this.paths.length);
    this.paths.push(path);
    this.reads.push(read);
    this.known.push(known);
  }

  /** The four counts of a split at path, and child + adult + unknown = total. */
  split(path: string, read: (body: B) => NullableSplit, known = false): void {
    for (const key of SPLIT_KEYS) this.count(`${path}/${key}`, (b) => read(b)[key], known);
    const at = (key: string) => `${path}/${key}`;
    this.relate(AGE_GROUPS.map(at), [at('total')], 'eq');
  }

  /** sum(plus) - sum(minus) = 0 or <= 0, in a named group placed only on request (see place). */
  relate(
    plus: readonly string[],
    minus: readonly string[],
    kind: Relation['kind'],
    group = '',
  ): void {
    const offset = (path: string) => this.offsets.get(path)!;
    const list = this.groups.get(group) ?? [];
    list.push({ plus: plus.map(offset), minus: minus.map(offset), kind });
    this.groups.set(group, list);
  }

  /** Adds a body's counts as cells and its relations (the unnamed group and those named). */
  place(table: Table, body: B, national: boolean, groups: readonly string[] = []): BodyCells {
    const base = table.cells.length;
    this.reads.forEach((read, i) =>
      table.add(checkCount(read(body), this.paths[i]!), national || this.known[i]!),
    );
    for (const group of ['', ...groups]) {
      for (const r of this.groups.get(group) ?? []) {
        table.relate(
          r.plus.map((o) => base + o),
          r.minus.map((o) => base + o),
          r.kind,
        );
      }
    }
    return new BodyCells(base, this);
  }
}

/** What a placed body's cells need of its layout. */
interface CellLayout {
  readonly paths: readonly string[];
  readonly offsets: ReadonlyMap<string, number>;
}

/** The cells of one placed body. */
export class BodyCells {
  constructor(
    readonly base: number,
    readonly layout: CellLayout,
  ) {}

  /** The cell of the count at path, if the body has one. */
  id(path: string): number | undefined {
    const offset = this.layout.offsets.get(path);
    return offset === undefined ? undefined : this.base + offset;
  }
}

/** parent = sum of children, for every count the parent has, in every family of the tree. */
export function relateFamilies<B>(
  table: Table,
  tree: Family<B>,
  cellsOf: Map<Family<B>, BodyCells>,
): void {
  const children = tree.children ?? [];
  if (children.length > 0) {
    const parent = cellsOf.get(tree)!;
    const kids = children.map((c) => cellsOf.get(c)!);
    parent.layout.paths.forEach((path, offset) => {
      const parts = kids.map((k) => (k.layout === parent.layout ? k.base + offset : k.id(path)));
      if (parts.every((p) => p !== undefined)) {
        table.relate(parts as number[], [parent.base + offset], 'eq');
      }
    });
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
    return this.state[this.cells.id(path)!] !== 'shown';
  }

  /** The published count at path, recording a suppression. */
  count(path: string): number | null {
    const id = this.cells.id(path)!;
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
