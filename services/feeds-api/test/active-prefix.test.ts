// The change log and figures of whichever prefix the pointer names: cursors carry their prefix,
// so one from before a rebuild's switch is expired after it, never read against the new log.
import type { ActivePrefix } from '@pulse/store';
import { describe, expect, it } from 'vitest';
import { followingChangeLog, followingFigures } from '../src/active-prefix.js';
import type { FiguresSource } from '../src/ports.js';
import { ChangeLogError } from '../src/stream/change-log.js';
import { memoryLog, type MemoryLog } from './stream/memory-log.js';

const BASE = 'pulse';
const REBUILT = 'pulse:r1764646800000';

/** A pointer the test moves by hand. */
function pointerAt(prefix: string): ActivePrefix & { move(to: string): void } {
  let current = prefix;
  return {
    current: () => current,
    refresh: async () => current,
    stop: () => {},
    move: (to) => (current = to),
  };
}

function logs() {
  const made = new Map<string, MemoryLog>();
  const logOf = (prefix: string) => {
    let log = made.get(prefix);
    if (!log) made.set(prefix, (log = memoryLog(2)));
    return log;
  };
  return { logOf };
}

async function expectExpired(work: Promise<unknown>) {
  const err = await work.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ChangeLogError);
  expect((err as ChangeLogError).kind).toBe('expired');
}

describe('following the active prefix', () => {
  it('cursors should name their prefix: unchanged under the base, tagged under a rebuilt one', async () => {
    const pointer = pointerAt(BASE);
    const { logOf } = logs();
    const log = followingChangeLog(pointer, BASE, logOf);
    const head = await log.headCursor();
    expect(head).toBe(await logOf(BASE).headCursor());
    logOf(BASE).apply(0, ['e']);
    const page = await log.readChanges(head, { limit: 10 });
    expect(page.changes.map((c) => c.scopes)).toEqual([['e']]);

    pointer.move(REBUILT);
    logOf(REBUILT).apply(1, ['e', 't:RXN']);
    // A cursor of the base prefix's log is expired once the pointer names another.
    await expectExpired(log.readChanges(page.nextCursor, { limit: 10 }));
    const fresh = await log.headCursor();
    expect(fresh).toBe(`${await logOf(REBUILT).headCursor()}~r1764646800000`);
    log.check(fresh);
    logOf(REBUILT).apply(0, ['i:QE1']);
    const next = await log.readChanges(fresh, { limit: 10 });
    expect(next.changes.map((c) => c.scopes)).toEqual([['i:QE1']]);
    expect(next.changes[0]!.cursor.endsWith('~r1764646800000')).toBe(true);
    expect(log.covers(next.nextCursor, next.changes[0]!)).toBe(true);
    expect(log.covers(page.nextCursor, next.changes[0]!)).toBe(false);
    expect(log.join(page.nextCursor, next.nextCursor)).toBe(next.nextCursor);
    expect(log.join(next.nextCursor, page.nextCursor)).toBe(next.nextCursor);

    // Back on the base (a later rebuild's prefix would be another tag): tagged cursors expire.
    pointer.move(BASE);
    await expectExpired(log.readChanges(next.nextCursor, { limit: 10 }));
  });

  it('check should refuse a tag no rebuild could have made', () => {
    const log = followingChangeLog(pointerAt(BASE), BASE, logs().logOf);
    for (const bad of ['m.0.0~x1', 'm.0.0~r', 'm.0.0~r1~r2', 'junk~r1']) {
      expect(() => log.check(bad), bad).toThrow(ChangeLogError);
    }
    log.check('m.0.0~r12');
  });

  it('figures should come from the prefix current when each call starts', async () => {
    const pointer = pointerAt(BASE);
    const asked: string[] = [];
    const figuresOf = (prefix: string) =>
      ({
        freshness: async () => {
          asked.push(prefix);
          return prefix === BASE ? 1 : 2;
        },
      }) as unknown as FiguresSource;
    const figures = followingFigures(pointer, figuresOf);
    expect(await figures.freshness({ kind: 'england' })).toBe(1);
    pointer.move(REBUILT);
    expect(await figures.freshness({ kind: 'england' })).toBe(2);
    expect(asked).toEqual([BASE, REBUILT]);
  });
});
