// Questions about change-log cursors that a reader following the log on several replicas needs:
// whether a cursor is past a given change, the later of two cursors partition by partition, and
// whether a string is a cursor at all. Cursors stay opaque to callers (change-log.ts encodes them).
import { decodeCursor, encodeCursor } from './change-log.js';

export interface CursorOps {
  /** Whether a reader at `cursor` has had the change (its partition's position is at or past it). */
  covers(cursor: string, change: { partition: number; id: string }): boolean;
  /** The cursor at or past everything either is past: per partition, the later position. */
  join(a: string, b: string): string;
  /** Throws StoreError BAD_CURSOR unless `cursor` is a cursor of this partition count. */
  check(cursor: string): void;
}

/** Stream ids `<ms>-<seq>` compared as numbers. */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

export function cursorOps(partitions: number): CursorOps {
  // A follower asks about the same few cursors many times: keep their decoded form.
  const decoded = new Map<string, ReturnType<typeof decodeCursor>>();
  const decode = (cursor: string) => {
    let positions = decoded.get(cursor);
    if (!positions) {
      positions = decodeCursor(cursor, partitions);
      if (decoded.size >= 256) decoded.clear();
      decoded.set(cursor, positions);
    }
    return positions;
  };
  return {
    covers(cursor, change) {
      const position = decode(cursor)[change.partition];
      return position !== undefined && compareIds(position.id, change.id) >= 0;
    },
    join(a, b) {
      const [x, y] = [decode(a), decode(b)];
      return encodeCursor(x.map((p, i) => (compareIds(p.id, y[i]!.id) >= 0 ? p : y[i]!)));
    },
    check(cursor) {
      decode(cursor);
    },
  };
}
