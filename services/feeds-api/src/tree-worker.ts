// The worker thread of src/tree-builder.ts: builds the public tier's controlled trees with
// @pulse/disclosure's control on the reference data it loads once (the same files main.ts loads).
import { loadRefData, type RefData } from '@pulse/refdata';
import { PUBLIC_TIER_CONTROL } from './disclosure.js';
import {
  buildSeriesTree,
  buildSnapshotTree,
  type BuiltTree,
  type SeriesTreeInput,
  type SnapshotTreeInput,
} from './public-trees.js';

export type TreeTask =
  { kind: 'snapshot'; input: SnapshotTreeInput } | { kind: 'series'; input: SeriesTreeInput };

let refdata: RefData | undefined;

export default function build(task: TreeTask): BuiltTree {
  refdata ??= loadRefData();
  return task.kind === 'snapshot'
    ? buildSnapshotTree(refdata, PUBLIC_TIER_CONTROL, task.input)
    : buildSeriesTree(refdata, PUBLIC_TIER_CONTROL, task.input);
}
