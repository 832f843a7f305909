// Soak: every open trust on 31 March 2026 (an ordinary weekday, the last day of the old ICBs)
// with 1 April (the first of the April 2026 mergers) through one aggregator, every figure equal
// to the oracle (~570k records, ~110 s alone on the 2-core machine), and attribution either side
// of the mergers.
import type { Scope } from '@pulse/kpi';
import { describe, expect, it } from 'vitest';
import { expectEveryTrust, runDays } from '../helpers/exactness.js';

describe('aggregator exactness across the April 2026 mergers', () => {
  it('aggregator should match the oracle at every trust on 31 March and 1 April 2026, an ordinary weekday and the first day of the merged ICBs', async () => {
    // 31 March is an ordinary weekday: it is also the ordinary day the issue asks for.
    const dates = ['2026-03-31', '2026-04-01'];
    const { world, sent, summary, trusts } = await runDays(dates);
    expect(sent.length).toBeGreaterThan(400_000);
    expect(summary.mismatches).toEqual([]);
    // Both days, and the last 15 minutes of 30 March, where 31 March's seeded RTT waiting list is
    // dated (1 April's lands in 31 March's last 15 minutes; simulator README, RTT at start-up).
    expect(summary.buckets).toEqual({ '15m': 2 * 96 + 1, '1h': 2 * 24 + 1, '1d': 3 });
    expectEveryTrust(trusts);
    expect(summary.scopes).toBeGreaterThan(200);

    const merged = ['Z9B2Z', 'D7T5G'];
    const attendances = async (scope: Scope, date: string) =>
      (await world.reader.counters(scope, '1d', [date]))[0]!.ed_attendances.total;
    for (const code of merged) {
      const icb: Scope = { kind: 'icb', code };
      expect(await attendances(icb, '2026-03-31'), `${code} before it existed`).toBe(0);
      expect(await attendances(icb, '2026-04-01'), `${code} on its first day`).toBeGreaterThan(0);
    }
    // G6V2S moved from QMJ to Z9B2Z: QMJ counts it on 31 March only.
    const qmj: Scope = { kind: 'icb', code: 'QMJ' };
    expect(await attendances(qmj, '2026-03-31')).toBeGreaterThan(0);
    expect(await attendances(qmj, '2026-04-01')).toBe(0);
  });
});
