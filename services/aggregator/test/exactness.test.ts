// The figures of simulated London days equal the brute-force oracle over what was sent: every
// counter figure and age group of every scope (trust, ICB, region, England) in every 15m, 1h and
// 1d bucket, plus the live gauges, beds, freshness and data quality, and every point of every
// scope's gauge history at 15m, 1h and 1d (samples, coverage, beds at 08:00 London).
//
// Every open trust on the 23-hour day (29 March 2026) and the 25-hour day (25 October 2026), one
// aggregator and one oracle per day. 31 March with 1 April (the April 2026 mergers) is in the
// soak suite (soak/exactness-merger.test.ts), being twice as long.
import { describe, expect, it } from 'vitest';
import { expectEveryTrust, runDays } from './helpers/exactness.js';

describe('aggregator exactness', () => {
  it.each([
    { date: '2026-03-29', hours: 23 },
    { date: '2026-10-25', hours: 25 },
  ])(
    'aggregator should match the oracle at every trust on the $hours-hour London day of $date',
    async ({ date, hours }) => {
      const { sent, summary, trusts } = await runDays([date]);
      expect(sent.length).toBeGreaterThan(150_000);
      expect(summary.mismatches).toEqual([]);
      // Gauge history was compared where trusts were sampled (every scope, 15m, 1h and 1d).
      expect(summary.sampledPoints).toBeGreaterThan(10_000);
      // The day, and the day before's last 15 minutes, where the seeded RTT waiting list is dated.
      expect(summary.buckets).toEqual({ '15m': 4 * hours + 1, '1h': hours + 1, '1d': 2 });
      expectEveryTrust(trusts);
    },
  );
});
