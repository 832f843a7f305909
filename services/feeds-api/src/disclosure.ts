// The public tier's disclosure control: @pulse/disclosure's NHS Digital method applied to each
// snapshot or series body on its own (docs/disclosure.md). Each body is protected against
// differencing within it (age split, last hour within today, nested figures); relations across
// responses (trusts summing to their ICB) need controlSnapshotTree over the whole structure at
// one instant, which these per-request routes do not read.
import {
  controlSeries,
  controlSnapshot,
  type SeriesBody,
  type SnapshotBody,
} from '@pulse/disclosure';
import type { DisclosureControl } from './plugins/auth.js';

export const PUBLIC_TIER_CONTROL: DisclosureControl = {
  snapshot: (body) => controlSnapshot(body as unknown as SnapshotBody) as unknown as typeof body,
  series: (body) => controlSeries(body as unknown as SeriesBody) as unknown as typeof body,
};
