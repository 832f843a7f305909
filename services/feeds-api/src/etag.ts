// Weak ETags for snapshots. A snapshot read "now" carries asOf and ages that move every
// millisecond, so hashing the whole body would never match; the tag covers what the figures say
// (scope, day, gauges, counters, newest event, completeness counts). Two bodies with one tag are
// semantically equivalent, which is exactly what a weak validator promises (RFC 9110 8.8.1).
import { createHash } from 'node:crypto';
import type { Snapshot } from './schemas/snapshot.js';

export function snapshotEtag(s: Snapshot): string {
  const stable = [
    s.scope,
    s.londonDate,
    s.live,
    s.today.counters,
    s.lastHour.from,
    s.lastHour.counters,
    s.freshness.newestEventAt,
    s.completeness.reported,
    s.completeness.expected,
    s.completeness.families,
  ];
  const hash = createHash('sha256').update(JSON.stringify(stable)).digest('base64url').slice(0, 27);
  return `W/"${hash}"`;
}

/** Whether an If-None-Match header matches the tag (weak comparison, `*` matches anything). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}
