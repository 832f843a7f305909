import { describe, expect, it } from 'vitest';
import { attribute, parseScopeKey, scopeKey, scopesOf, type Resolver } from '../src/index.js';
import { event } from './events.js';

// RGT moved ICB on 1 April 2026 (London date), as the April 2026 mergers did.
const resolve: Resolver = (ods, date) => {
  if (ods !== 'RGT') return undefined;
  return date < '2026-04-01' ? { icb: 'QUE', region: 'Y61' } : { icb: 'QXX', region: 'Y61' };
};

describe('attribute', () => {
  it('should attribute by the London date, so 23:30 UTC on 31 March 2026 counts for April', () => {
    const payload = { spellId: 'S', method: 'ELECTIVE', bedType: 'OTHER' } as const;
    const before = event('ADMISSION', payload, { occurredAt: Date.parse('2026-03-31T22:59:59Z') });
    const after = event('ADMISSION', payload, { occurredAt: Date.parse('2026-03-31T23:00:00Z') });
    expect(attribute(before, resolve)).toEqual({ trust: 'RGT', icb: 'QUE', region: 'Y61' });
    expect(attribute(after, resolve)).toEqual({ trust: 'RGT', icb: 'QXX', region: 'Y61' });
  });

  it('should give undefined for an organisation the resolver does not know', () => {
    const e = event(
      'ADMISSION',
      { spellId: 'S', method: 'OTHER', bedType: 'OTHER' },
      { providerOds: 'ZZZ' },
    );
    expect(attribute(e, resolve)).toBeUndefined();
  });
});

describe('scope keys', () => {
  it('should list the four scopes of an attribution', () => {
    expect(scopesOf({ trust: 'RGT', icb: 'QUE', region: 'Y61' })).toEqual([
      't:RGT',
      'i:QUE',
      'r:Y61',
      'e',
    ]);
  });

  it('should round-trip every kind of scope', () => {
    for (const scope of [
      { kind: 'trust', code: 'G6V2S' },
      { kind: 'icb', code: 'QUE' },
      { kind: 'region', code: 'Y61' },
      { kind: 'england' },
    ] as const) {
      expect(parseScopeKey(scopeKey(scope))).toEqual(scope);
    }
  });

  it('should refuse keys it could not have written', () => {
    for (const bad of ['', 'x:RGT', 't:', 't:a:b', 'E', 'trust:RGT']) {
      expect(() => parseScopeKey(bad)).toThrow(RangeError);
    }
  });
});
