import { describe, expect, it } from 'vitest';
import { etagMatches } from '../src/etag.js';

describe('etag', () => {
  it('etag should match weakly, in lists and with *', () => {
    const tag = 'W/"abc"';
    expect(etagMatches('W/"abc"', tag)).toBe(true);
    expect(etagMatches('"abc"', tag)).toBe(true);
    expect(etagMatches('W/"x", W/"abc"', tag)).toBe(true);
    expect(etagMatches('*', tag)).toBe(true);
    expect(etagMatches('W/"x"', tag)).toBe(false);
    expect(etagMatches(undefined, tag)).toBe(false);
  });
});
