import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/change-log.js';
import { cursorOps } from '../src/cursors.js';
import { StoreError } from '../src/errors.js';

const cursor = (...ids: [string, number][]) =>
  encodeCursor(ids.map(([id, added]) => ({ id, added })));

describe('cursor ops', () => {
  const ops = cursorOps(3);
  const a = cursor(['100-0', 4], ['90-1', 2], ['0-0', 0]);
  const b = cursor(['99-5', 3], ['120-0', 7], ['5-0', 1]);

  it('cursor ops should tell whether a cursor is at or past a change of a partition', () => {
    expect(ops.covers(a, { partition: 0, id: '100-0' })).toBe(true);
    expect(ops.covers(a, { partition: 0, id: '100-1' })).toBe(false);
    expect(ops.covers(a, { partition: 1, id: '90-0' })).toBe(true);
    expect(ops.covers(a, { partition: 1, id: '100-0' })).toBe(false);
    expect(ops.covers(a, { partition: 2, id: '1-0' })).toBe(false);
  });

  it('cursor ops should join two cursors to the later position of each partition', () => {
    const joined = ops.join(a, b);
    expect(joined).toBe(cursor(['100-0', 4], ['120-0', 7], ['5-0', 1]));
    expect(ops.join(b, a)).toBe(joined);
    expect(ops.join(a, a)).toBe(a);
  });

  it('cursor ops should refuse what is not a cursor of its partition count', () => {
    expect(() => ops.check('nope')).toThrow(StoreError);
    expect(() => cursorOps(2).check(a)).toThrow(/2 partitions/);
    expect(() => ops.covers('c1.x', { partition: 0, id: '1-0' })).toThrow(StoreError);
    expect(() => ops.check(a)).not.toThrow();
  });
});
