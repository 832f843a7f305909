// The decision over a hand-made table, where the complement step alone leaves a primary count
// pinned by another relation, so only the audit can protect it.
import { describe, expect, it } from 'vitest';
import { DisclosureError } from '../src/index.js';
import { decide, Table } from '../src/table.js';

/** p + s + w = T and s + u = V, with T, u and V national (exact). */
function table(withW: boolean) {
  const t = new Table();
  const p = t.add(2, false);
  const s = t.add(8, false);
  const w = withW ? t.add(0, false) : undefined;
  const T = t.add(10, true);
  const u = t.add(0, true);
  const V = t.add(8, true);
  t.relate(w === undefined ? [p, s] : [p, s, w], [T], 'eq');
  t.relate([s, u], [V], 'eq');
  return { t, p, s, w };
}

describe('decide', () => {
  it('should hide one more count where a relation elsewhere pins a primary one (the audit)', () => {
    const { t, p, s, w } = table(true);
    const state = decide(t);
    // complement: s (the smallest non-zero); s = V - u exactly, so p = T - s - w would be 2;
    // the audit hides w as well
    expect([state[p], state[s], state[w!]]).toEqual(['primary', 'secondary', 'secondary']);
    expect(decide(t, { secondary: false })[w!]).toBe('shown');
  });

  it('should refuse to return a decision that leaves a primary count recoverable', () => {
    const { t } = table(false);
    expect(() => decide(t)).toThrow(DisclosureError);
  });

  it('should leave out a relation that does not hold for the true values', () => {
    const t = new Table();
    const a = t.add(3, false);
    const b = t.add(40, false);
    t.relate([a], [b], 'eq');
    expect(t.relations).toEqual([]);
    expect(decide(t)).toEqual(['primary', 'shown']);
  });
});
