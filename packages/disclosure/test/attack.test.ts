// The attacker of attacker.ts against many random trees: with secondary suppression it recovers
// no primary value; with it switched off, or with a marker telling primary from secondary
// suppressions, it does (so the attack is real and the test can fail).
import { describe, expect, it } from 'vitest';
import { controlSeriesTreeWith } from '../src/series.js';
import { controlSnapshotTreeWith } from '../src/snapshot.js';
import type {
  ControlledSeries,
  ControlledSnapshot,
  Family,
  SeriesBody,
  SnapshotBody,
} from '../src/index.js';
import { attackSeries, attackSnapshots, keyOf, pointer, type Recovery } from './attacker.js';
import { rng, seriesTree, snapshotTree } from './bodies.js';

// A hang guard, not a speed bound: the whole-tree attacks take ~30 s on an idle 2-core machine
// and many minutes when it is saturated.
const HANG_GUARD_MS = 1_200_000;

const TREES = 40;

type Body = SnapshotBody | SeriesBody;
type Controlled = ControlledSnapshot | ControlledSeries;

function nodes<B>(tree: Family<B>): B[] {
  return [tree.body, ...(tree.children ?? []).flatMap((c) => nodes(c))];
}

/** The true value of a recovered count. */
function truthOf(tree: Family<Body>, r: Recovery): number {
  const body = nodes(tree).find((b) => (b.scope.code ?? b.scope.kind) === r.body);
  return pointer(body, r.path)!;
}

/** The primary suppressions: what is suppressed when secondary suppression is off. */
function primariesOf(withoutSecondary: Family<Controlled>): Set<string> {
  return new Set(
    nodes(withoutSecondary).flatMap((b) =>
      b.suppressed.filter((s) => s.reason === 'suppressed').map((s) => keyOf(b, s.path)),
    ),
  );
}

describe('attacker against controlled snapshots', () => {
  it(
    'controlSnapshotTree should leave no primary value recoverable by any differencing',
    () => {
      let primaries = 0;
      for (let seed = 1; seed <= TREES; seed++) {
        const tree = snapshotTree(rng(seed), seed % 4 === 0 ? 'region' : 'icb');
        const primary = primariesOf(controlSnapshotTreeWith(tree, { secondary: false }));
        const controlled = controlSnapshotTreeWith(tree, { secondary: true });
        const { recovered, relations } = attackSnapshots(controlled, { targets: primary });
        expect(relations.get('parent = sum of children')).toBeGreaterThan(0);
        expect(relations.get('last hour <= today')).toBeGreaterThan(0);
        for (const r of recovered) expect(r.value).toBe(truthOf(tree, r));
        const leaked = recovered.filter((r) => primary.has(`${r.body}#${r.path}`));
        expect({ seed, leaked }).toEqual({ seed, leaked: [] });
        primaries += primary.size;
      }
      expect(primaries).toBeGreaterThan(TREES * 20);
    },
    HANG_GUARD_MS,
  );

  it('the attacker should recover true primary values when secondary suppression is off', () => {
    const recovered: Recovery[] = [];
    for (let seed = 1; seed <= TREES; seed++) {
      const tree = snapshotTree(rng(seed));
      const controlled = controlSnapshotTreeWith(tree, { secondary: false });
      // without secondary suppression a null is a primary one: 1 to 7
      const primaries = primariesOf(controlled);
      for (const r of attackSnapshots(controlled, { probe: false, primaries }).recovered) {
        expect(r.value).toBe(truthOf(tree, r));
        recovered.push(r);
      }
    }
    expect(recovered.length).toBeGreaterThan(0);
  });

  it('the attacker should recover true primary values from a marker telling primary from secondary', () => {
    let recovered = 0;
    for (let seed = 1; seed <= TREES; seed++) {
      const tree = snapshotTree(rng(seed));
      const primaries = primariesOf(controlSnapshotTreeWith(tree, { secondary: false }));
      let controlled: Family<ControlledSnapshot>;
      try {
        controlled = controlSnapshotTreeWith(tree, { secondary: true });
      } catch {
        continue;
      }
      for (const r of attackSnapshots(controlled, { probe: false, primaries }).recovered) {
        expect(r.value).toBe(truthOf(tree, r));
        if (primaries.has(`${r.body}#${r.path}`)) recovered++;
      }
    }
    expect(recovered).toBeGreaterThan(0);
  });
});

describe('attacker against controlled series', () => {
  it(
    'controlSeriesTree should leave no primary value recoverable',
    () => {
      for (let seed = 1; seed <= TREES; seed++) {
        const tree = seriesTree(rng(seed));
        const primary = primariesOf(controlSeriesTreeWith(tree, { secondary: false }));
        const controlled = controlSeriesTreeWith(tree, { secondary: true });
        const { recovered } = attackSeries(controlled, { targets: primary });
        for (const r of recovered) expect(r.value).toBe(truthOf(tree, r));
        const leaked = recovered.filter((r) => primary.has(`${r.body}#${r.path}`));
        expect({ seed, leaked }).toEqual({ seed, leaked: [] });
      }
    },
    HANG_GUARD_MS,
  );

  it('the attacker should recover true primary values when secondary suppression is off', () => {
    let recovered = 0;
    for (let seed = 1; seed <= TREES; seed++) {
      const tree = seriesTree(rng(seed));
      const controlled = controlSeriesTreeWith(tree, { secondary: false });
      const primaries = primariesOf(controlled);
      for (const r of attackSeries(controlled, { probe: false, primaries }).recovered) {
        expect(r.value).toBe(truthOf(tree, r));
        recovered++;
      }
    }
    expect(recovered).toBeGreaterThan(0);
  });
});
