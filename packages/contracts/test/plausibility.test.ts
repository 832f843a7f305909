import { describe, expect, it } from 'vitest';
import {
  CONTRACT_ERRORS,
  EXAMPLE_EVENTS,
  findIssues,
  isSiteOfProvider,
  MAX_BEDS_PER_SNAPSHOT,
  MAX_ED_STAY_MS,
  MAX_HANDOVER_MS,
  MAX_RTT_WAIT_MS,
  MAX_SPELL_MS,
} from '../src/index.js';
import { variant } from './support/variant.js';

const codesOf = (event: unknown) => findIssues(event).map((i) => [i.code, i.path]);

describe('plausibility bounds', () => {
  const at = EXAMPLE_EVENTS.ED_DEPARTURE.occurredAt;

  // Each bound: exactly at it is accepted, a millisecond (or a bed) past it is refused.
  it.each([
    ['ED_DEPARTURE', 'arrivedAt', MAX_ED_STAY_MS, 'ED_STAY_TOO_LONG'],
    ['AMBULANCE_HANDOVER', 'arrivedAt', MAX_HANDOVER_MS, 'HANDOVER_TOO_LONG'],
    ['DISCHARGE', 'admittedAt', MAX_SPELL_MS, 'SPELL_TOO_LONG'],
    ['RTT_CLOCK_START', 'clockStartAt', MAX_RTT_WAIT_MS, 'RTT_WAIT_TOO_LONG'],
    ['RTT_CLOCK_STOP', 'clockStartAt', MAX_RTT_WAIT_MS, 'RTT_WAIT_TOO_LONG'],
  ] as const)(
    '%s.%s should be at most its bound before occurredAt (%s)',
    (type, field, bound, code) => {
      const payload = (start: number) =>
        type === 'ED_DEPARTURE' ? { [field]: start, decisionToAdmitAt: null } : { [field]: start };
      expect(codesOf(variant(type, {}, payload(at - bound)))).toEqual([]);
      expect(codesOf(variant(type, {}, payload(at - bound - 1)))).toEqual([
        [code, `payload.${field}`],
      ]);
    },
  );

  // The issue's cases: each was counted before, and skewed England.
  it.each([
    [
      'a handover whose ambulance arrived in 1970 (498,931 hours lost)',
      'AMBULANCE_HANDOVER',
      { arrivedAt: 0 },
      'HANDOVER_TOO_LONG',
    ],
    [
      'a departure after an arrival in 1970',
      'ED_DEPARTURE',
      { arrivedAt: 0, decisionToAdmitAt: null },
      'ED_STAY_TOO_LONG',
    ],
    ['a discharge after an admission in 1970', 'DISCHARGE', { admittedAt: 0 }, 'SPELL_TOO_LONG'],
    [
      'an RTT start whose clock started in 1970',
      'RTT_CLOCK_START',
      { clockStartAt: 0 },
      'RTT_WAIT_TOO_LONG',
    ],
    [
      'an RTT stop whose clock started in 1970',
      'RTT_CLOCK_STOP',
      { clockStartAt: 0 },
      'RTT_WAIT_TOO_LONG',
    ],
    ['a bed state of 10^9 beds', 'BED_STATE', { bedsOpen: 1e9, bedsOccupied: 0 }, 'TOO_MANY_BEDS'],
  ] as const)('validateEvent should refuse %s', (_what, type, payload, code) => {
    expect(codesOf(variant(type, {}, payload)).map(([c]) => c)).toEqual([code]);
  });

  it('BED_STATE should accept up to MAX_BEDS_PER_SNAPSHOT beds open', () => {
    const beds = (n: number) => variant('BED_STATE', {}, { bedsOpen: n, bedsOccupied: 0 });
    expect(codesOf(beds(MAX_BEDS_PER_SNAPSHOT))).toEqual([]);
    expect(codesOf(beds(MAX_BEDS_PER_SNAPSHOT + 1))).toEqual([
      ['TOO_MANY_BEDS', 'payload.bedsOpen'],
    ]);
  });

  it('every plausibility code should state its bound in its description', () => {
    expect(CONTRACT_ERRORS.ED_STAY_TOO_LONG).toContain('7 days');
    expect(CONTRACT_ERRORS.HANDOVER_TOO_LONG).toContain('24 hours');
    expect(CONTRACT_ERRORS.SPELL_TOO_LONG).toContain('1096 days');
    expect(CONTRACT_ERRORS.RTT_WAIT_TOO_LONG).toContain('260 weeks');
    expect(CONTRACT_ERRORS.TOO_MANY_BEDS).toContain('5000 beds');
  });
});

describe('siteOds of the provider', () => {
  it.each([
    ['the trust itself', 'RGT', 'RGT'],
    ['a site of the trust', 'RGT', 'RGT01'],
    ['a lettered site of the trust', 'RXF', 'RXFA5'],
    ['a 5-character trust itself', 'G6V2S', 'G6V2S'],
  ])('should accept %s', (_what, provider, site) => {
    expect(isSiteOfProvider(site, provider)).toBe(true);
    expect(codesOf(variant('BED_STATE', { providerOds: provider, siteOds: site }))).toEqual([]);
  });

  it.each([
    ["another trust's site", 'RGT', 'RJ101'],
    ['another trust', 'RGT', 'RJ1'],
    ['a site under a 5-character trust', 'G6V2S', 'G6V01'],
  ])('should refuse %s as SITE_NOT_OF_PROVIDER', (_what, provider, site) => {
    expect(codesOf(variant('ADMISSION', { providerOds: provider, siteOds: site }))).toEqual([
      ['SITE_NOT_OF_PROVIDER', 'siteOds'],
    ]);
  });

  it('should refuse 50 invented sites that are not the trust’s', () => {
    // Regression: 50 invented sites of 100 beds each added 5,000 beds to England.
    const invented = Array.from({ length: 50 }, (_, i) => `ZZ${String(i).padStart(3, '0')}`);
    const refused = invented.filter(
      (site) =>
        codesOf(
          variant('BED_STATE', { siteOds: site }, { bedsOpen: 100, bedsOccupied: 0 }),
        )[0]?.[0] === 'SITE_NOT_OF_PROVIDER',
    );
    expect(refused).toHaveLength(50);
  });
});
