import { describe, expect, it } from 'vitest';
import { loadRefData } from '../src/index.js';

describe('loadRefData', () => {
  it('loadRefData should read the package data and resolve a provider', () => {
    const refdata = loadRefData();
    const r = refdata.resolveProvider('RGT', '2026-04-01');
    expect(r.status).toBe('ok');
  });
});
