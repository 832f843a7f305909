// The figures and the change log of whichever key prefix the pointer names (@pulse/store's
// followActivePrefix): a rebuild from the log switches it (docs/aggregation.md, "Rebuild"), and
// every read after the switch uses the new prefix (chosen when each read starts).
//
// Change-log cursors name their prefix: `<cursor>` under KEY_PREFIX itself, `<cursor>~<tag>`
// under a rebuilt one (`<KEY_PREFIX>:<tag>`), so a cursor of the log before a switch is
// `expired` after it (the push feed sends `reset`, the pull route 410) rather than read against
// another log.
import type { ActivePrefix } from '@pulse/store';
import { parseActivePrefix } from '@pulse/topology';
import type { FiguresSource } from './ports.js';
import { ChangeLogError, type ChangeLog, type LoggedChange } from './stream/change-log.js';

/** One source per prefix, made on first use; only the current and the one before are kept. */
function perPrefix<T>(pointer: ActivePrefix, make: (prefix: string) => T): () => T {
  const made = new Map<string, T>();
  return () => {
    const prefix = pointer.current();
    let source = made.get(prefix);
    if (!source) {
      source = make(prefix);
      made.set(prefix, source);
      if (made.size > 2) made.delete(made.keys().next().value!);
    }
    return source;
  };
}

/** The figures of the active prefix, chosen when each call starts. */
export function followingFigures(
  pointer: ActivePrefix,
  figuresOf: (prefix: string) => FiguresSource,
): FiguresSource {
  const current = perPrefix(pointer, figuresOf);
  return {
    counters: (...args) => current().counters(...args),
    counterSeries: (...args) => current().counterSeries(...args),
    gaugeSeries: (...args) => current().gaugeSeries(...args),
    live: (...args) => current().live(...args),
    freshness: (...args) => current().freshness(...args),
    completeness: (...args) => current().completeness(...args),
    freshView: () => current().freshView(),
  };
}

const TAG = '~';

/** The change log of the active prefix, its cursors tagged with the prefix they belong to. */
export function followingChangeLog(
  pointer: ActivePrefix,
  base: string,
  logOf: (prefix: string) => ChangeLog,
): ChangeLog {
  const current = perPrefix(pointer, (prefix) => ({ prefix, log: logOf(prefix) }));
  const tagOf = (prefix: string) => (prefix === base ? '' : prefix.slice(base.length + 1));
  const tagged = (prefix: string, cursor: string) =>
    prefix === base ? cursor : `${cursor}${TAG}${tagOf(prefix)}`;
  const split = (cursor: string) => {
    const at = cursor.lastIndexOf(TAG);
    return at < 0
      ? { inner: cursor, tag: '' }
      : { inner: cursor.slice(0, at), tag: cursor.slice(at + TAG.length) };
  };
  /** The cursor's inner part when it belongs to the active prefix; else it has expired. */
  const own = (cursor: string) => {
    const { prefix, log } = current();
    const { inner, tag } = split(cursor);
    log.check(inner);
    if (tag !== tagOf(prefix)) {
      throw new ChangeLogError(
        'expired',
        'the figures were rebuilt from the log since this cursor: read a snapshot and start again',
      );
    }
    return { prefix, log, inner };
  };
  return {
    async headCursor() {
      const { prefix, log } = current();
      return tagged(prefix, await log.headCursor());
    },
    async readChanges(cursor, options) {
      const { prefix, log, inner } = own(cursor);
      const page = await log.readChanges(inner, options);
      const changes: LoggedChange[] = page.changes.map((change) => ({
        ...change,
        cursor: tagged(prefix, change.cursor),
      }));
      return { changes, nextCursor: tagged(prefix, page.nextCursor) };
    },
    covers(cursor, change) {
      const { log } = current();
      const { inner, tag } = split(cursor);
      return tag === tagOf(current().prefix) && log.covers(inner, change);
    },
    join(a, b) {
      const [x, y] = [split(a), split(b)];
      if (x.tag !== y.tag) return y.tag === tagOf(current().prefix) ? b : a;
      const { log } = current();
      const joined = log.join(x.inner, y.inner);
      return x.tag === '' ? joined : `${joined}${TAG}${x.tag}`;
    },
    check(cursor) {
      const { inner, tag } = split(cursor);
      if (tag !== '') {
        try {
          parseActivePrefix(base, `${base}:${tag}`);
        } catch {
          throw new ChangeLogError('malformed', 'not a change-log cursor: unknown rebuild tag');
        }
      }
      current().log.check(inner);
    },
  };
}
