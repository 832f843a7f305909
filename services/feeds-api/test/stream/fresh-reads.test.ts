import { FIGURE_FAMILIES, scopeKey, type Scope } from '@pulse/kpi';
import { describe, expect, it } from 'vitest';
import type { Completeness, FiguresSource } from '../../src/ports.js';
import { sharedFreshReads } from '../../src/stream/fresh-reads.js';

const E: Scope = { kind: 'england' };
const ICB: Scope = { kind: 'icb', code: 'QE1' };
const TRUST: Scope = { kind: 'trust', code: 'RXN' };

/**
 * Figures whose freshness is the store's version when the read was sent (bumped by `apply`), and
 * whose completeness counts it as reported; every read sent is logged.
 */
function versionedFigures() {
  let version = 0;
  const sent: string[] = [];
  const completeness = (v: number): Completeness => ({
    reported: v,
    expected: 10,
    families: Object.fromEntries(
      FIGURE_FAMILIES.map((f) => [f, { reported: v, expected: 10 }]),
    ) as Completeness['families'],
  });
  const source = {
    sent,
    apply: () => (version += 1),
    async freshness(scope: Scope) {
      sent.push(`freshness ${scopeKey(scope)}`);
      const v = version;
      await new Promise((go) => setImmediate(go));
      return v;
    },
    async completeness(scope: Scope) {
      sent.push(`completeness ${scopeKey(scope)}`);
      const v = version;
      await new Promise((go) => setImmediate(go));
      return completeness(v);
    },
    async freshView() {
      sent.push('view');
      const v = version;
      await new Promise((go) => setImmediate(go));
      return { freshness: () => v, completeness: () => completeness(v) };
    },
  };
  return source as unknown as typeof source & FiguresSource;
}

const both = (figures: FiguresSource, scope: Scope) =>
  Promise.all([figures.freshness(scope), figures.completeness(scope, 0, '2026-12-02', 0)]);

describe('shared fresh reads', () => {
  it('shared fresh reads should answer the scopes asking in one turn from one read', async () => {
    const source = versionedFigures();
    const shared = sharedFreshReads(source);
    source.apply();
    const answers = await Promise.all([both(shared, E), both(shared, ICB), both(shared, TRUST)]);
    expect(source.sent).toEqual(['view']);
    for (const [freshness, completeness] of answers) {
      expect(freshness).toBe(1);
      expect(completeness.reported).toBe(1);
    }
  });

  it('shared fresh reads should read a lone scope by itself', async () => {
    const source = versionedFigures();
    const shared = sharedFreshReads(source);
    expect(await both(shared, TRUST)).toMatchObject([0, { reported: 0 }]);
    expect(source.sent).toEqual(['freshness t:RXN', 'completeness t:RXN']);
  });

  it('shared fresh reads should never answer an ask from a read sent before it', async () => {
    const source = versionedFigures();
    const shared = sharedFreshReads(source);
    const first = Promise.all([both(shared, E), both(shared, ICB)]);
    // The first turn's read is sent; a change is applied; then two more scopes ask.
    await Promise.resolve();
    await Promise.resolve();
    expect(source.sent).toEqual(['view']);
    source.apply();
    const second = Promise.all([both(shared, E), both(shared, TRUST)]);
    expect((await first).map(([freshness]) => freshness)).toEqual([0, 0]);
    expect((await second).map(([freshness]) => freshness)).toEqual([1, 1]);
    expect(source.sent).toEqual(['view', 'view']);
  });

  it('shared fresh reads should fail every ask of a failed shared read', async () => {
    const shared = sharedFreshReads({
      ...versionedFigures(),
      freshView: () => Promise.reject(new Error('redis down')),
    });
    const asks = [both(shared, E), both(shared, ICB)];
    for (const ask of asks) await expect(ask).rejects.toThrow('redis down');
  });
});
