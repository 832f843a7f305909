// An in-memory change log with the store's cursor semantics (a position per partition, any
// replica can read from any cursor, trimming makes old cursors expire), and figures that move
// with it: apply() bumps each named scope's count and logs the change in the same step, as the
// aggregator's script does. The hub's tests run against it.
import type { Snapshot } from '../../src/schemas/snapshot.js';
import {
  ChangeLogError,
  type ChangeLog,
  type ChangePage,
  type LoggedChange,
} from '../../src/stream/change-log.js';

interface Entry extends LoggedChange {
  seq: number;
}

export interface MemoryLog extends ChangeLog {
  /** Applies one batch on a partition that changes the given scopes (counts +1 each). */
  apply(partition: number, scopes: string[]): LoggedChange;
  /** Drops every entry of a partition up to and including seq. */
  trim(partition: number, throughSeq: number): void;
  /** Reads a scope's "snapshot": how many changes it has had. */
  readSnapshot(scope: string): Promise<Snapshot>;
  /** How many times readSnapshot ran. */
  reads: number;
  /** Changes of a scope after a cursor (all when undefined). */
  changesOf(scope: string, after?: string): LoggedChange[];
}

export function memoryLog(partitions = 3): MemoryLog {
  const entries: Entry[][] = Array.from({ length: partitions }, () => []);
  const trimmed = Array.from({ length: partitions }, () => 0);
  const counts = new Map<string, number>();
  let clock = 1_000_000;

  const encode = (positions: number[]) => `m.${positions.join('.')}`;
  const decode = (cursor: string): number[] => {
    const parts = cursor.split('.');
    if (parts[0] !== 'm' || parts.length !== partitions + 1)
      throw new ChangeLogError('malformed', `not a cursor: ${cursor}`);
    const positions = parts.slice(1).map(Number);
    if (!positions.every((n) => Number.isSafeInteger(n) && n >= 0))
      throw new ChangeLogError('malformed', `not a cursor: ${cursor}`);
    return positions;
  };
  const seqOf = (id: string) => Number(id.split('-')[1]);
  const head = () => entries.map((list, p) => list.at(-1)?.seq ?? trimmed[p]!);

  const log: MemoryLog = {
    reads: 0,
    apply(partition, scopes) {
      const list = entries[partition]!;
      const seq = (list.at(-1)?.seq ?? trimmed[partition]!) + 1;
      clock += 1;
      for (const scope of scopes) counts.set(scope, (counts.get(scope) ?? 0) + 1);
      const entry: Entry = {
        partition,
        id: `${clock}-${seq}`,
        at: Date.now(),
        cursor: '',
        scopes,
        emittedAt: Date.now() - 5,
        seq,
      };
      list.push(entry);
      return entry;
    },
    trim(partition, throughSeq) {
      entries[partition] = entries[partition]!.filter((e) => e.seq > throughSeq);
      trimmed[partition] = Math.max(trimmed[partition]!, throughSeq);
    },
    async readSnapshot(scope) {
      log.reads += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return { scope, count: counts.get(scope) ?? 0 } as unknown as Snapshot;
    },
    changesOf(scope, after) {
      const from = after === undefined ? undefined : decode(after);
      return entries
        .flat()
        .filter((e) => e.scopes.includes(scope) && (!from || e.seq > from[e.partition]!));
    },
    async headCursor() {
      await Promise.resolve();
      return encode(head());
    },
    async readChanges(cursor, { limit }): Promise<ChangePage> {
      const at = decode(cursor);
      await Promise.resolve();
      const expired = at.some((seq, p) => seq < trimmed[p]!);
      if (expired) throw new ChangeLogError('expired', `cursor ${cursor} fell out of the log`);
      const after = entries
        .flatMap((list, p) => list.filter((e) => e.seq > at[p]!))
        .sort((a, b) => Number(a.id.split('-')[0]) - Number(b.id.split('-')[0]))
        .slice(0, limit);
      const next = [...at];
      const changes = after.map((e) => {
        next[e.partition] = e.seq;
        return { ...e, cursor: encode(next) };
      });
      return { changes, nextCursor: encode(next) };
    },
    covers(cursor, change) {
      return decode(cursor)[change.partition]! >= seqOf(change.id);
    },
    join(a, b) {
      const [x, y] = [decode(a), decode(b)];
      return encode(x.map((n, p) => Math.max(n, y[p]!)));
    },
    check(cursor) {
      decode(cursor);
    },
  };
  return log;
}
