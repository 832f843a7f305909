// The public tier's disclosure control: @pulse/disclosure's NHS Digital method over whole trees of
// England's structure (src/public-tier.ts builds them), so that a value hidden in one scope's
// response is hidden in every response that shows it (docs/disclosure.md). It runs in the tree
// builder's worker threads (src/tree-worker.ts).
import {
  controlSeriesTree,
  controlSnapshotTree,
  type Family,
  type SeriesBody as DisclosureSeries,
  type SnapshotBody,
} from '@pulse/disclosure';
import type { TreeControl } from './public-trees.js';

export const PUBLIC_TIER_CONTROL: TreeControl = {
  snapshotTree: (tree) =>
    controlSnapshotTree(tree as unknown as Family<SnapshotBody>) as unknown as typeof tree,
  seriesTree: (tree) =>
    controlSeriesTree(tree as unknown as Family<DisclosureSeries>) as unknown as typeof tree,
};
