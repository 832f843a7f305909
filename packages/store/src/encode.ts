// A plan -> the apply script's KEYS and ARGV. The encoding (see README "ARGV encoding"):
//   ARGV[1] fence: the stored offset required ('' = none stored)  ARGV[2] next offset
//   then ops, each an opcode followed by key indexes (into KEYS) and values:
//   S k n id*n                 SADD ids to set k
//   H k n (field by)*n         HINCRBY fields of hash k
//   M k n (field value)*n      HSET fields of hash k where value > stored (or none stored)
//   O closed k1 k2 k3 g id score
//                              unless id is in the closed set: ZREM it from the three open sets,
//                              then ZADD it to set g (1..3) with the score
//   C closed k1 k2 k3 id at    ZREM id from the three open sets, ZADD it to closed with score at
//   R spell index k1 k2 k3 g id at meets window n (k field by)*n
//                              criteria to reside: the change (at, meets 1/0, group g 1..3) joins
//                              the spell's history; not discharged: the spell is in the set of
//                              its latest change by event time if that says no; discharged at d:
//                              ignored if at > d, else the discharge is judged again and the n
//                              increments applied +1/-1 if its verdict changed
//   D closed spell index k1 k2 k3 id at window g icb region n (k field by)*n
//                              the spell's first discharge: if the change in force at `at` says
//                              no and is within window, HINCRBY the n increments; recorded with
//                              g, icb, region; ZREM id from all three; ZADD it to closed
//   P hash index at            spell records whose index score is below at go
//   N k field n k1..kn         HSETNX field = 1 in hash k; only if it was not there, HINCRBY
//                              field by 1 in each of the n hashes k1..kn
//   K k field n k1..kn bucket scopes
//                              N, and only if the field was not there, list bucket for each of
//                              the comma-separated scopes in the change log entry's `coverage`
//                              field (a bucket whose only change is its coverage)
//   B k field at open occupied HSET field = 'at:open:occupied' unless the stored at is newer
//   G ed1 ed2 ed3 rtt1 rtt2 rtt3 ctr1 ctr2 ctr3 beds sinceEd sinceRtt sinceCtr m (set max)*m
//     n (k field)*n            a gauge sample (lua/sample.lua): the trust's gauges as of an end
//                              (as gauges.lua counts them), packed, added into field of each of
//                              the n hashes k
//   T k at                     ZREMRANGEBYSCORE k -inf (at: members scored below at go
//   X k at                     PEXPIREAT k at (ms)
//   V marker trusts structure clock
//                              gauge state per scope: the partition's marker (first, when kept)
//   W prefix n k1..kn          the next state op also writes these scope keys (in threes of
//                              sorted sets, members prefix..id; or beds total hashes)
//   L k maxlen maxage n (field value)*n
//                              XADD to stream k (MAXLEN ~ maxlen) one entry of n fields (and
//                              `coverage`, JSON [scope, buckets] pairs, when K ops listed any), then
//                              XTRIM k MINID ~ (Redis time - maxage ms): the change log
// KEYS[1] is always the partition's offset key. Every key shares the partition's hash tag.
import { StoreError } from './errors.js';
import { CHANGE_FIELDS, changeEntryOf } from './change-log.js';
import type { BatchPlan } from './plan.js';

/**
 * The most KEYS + ARGV one apply script may take; encodePlan and apply refuse a larger plan
 * (PLAN_TOO_LARGE) and a caller splits its records into smaller batches (planFits), each its own
 * fenced apply. Never split one plan across scripts: each script is atomic only by itself.
 *
 * Why a bound: ioredis spreads a command's arguments into a JavaScript call, and with
 * auto-pipelining ioredis 6 re-issues every queued command as `pipeline[name](...args)`
 * (built/autoPipelining.js) inside a Promise executor. Past ~100k arguments that overflows the
 * stack, and the command's promise never settles: the consumer hung. Upstream this is
 * "RangeError: Maximum call stack size exceeded" for one command of 163,368 arguments
 * (redis/ioredis#801, closed as won't fix, advice: chunk), and auto-pipelining failures surface
 * as uncaught errors rather than rejections (redis/ioredis#1931). 50,000 stays well below with
 * or without auto-pipelining, and keeps each script short on the Redis side too.
 */
export const MAX_PLAN_ARGUMENTS = 50_000;

/** An upper bound on the plan's KEYS + ARGV, counted from its maps without encoding it. */
export function planArguments(plan: BatchPlan): number {
  // Per op: its ARGV plus, at most, one KEYS entry per key it names.
  let n = 3 + plan.expiries.size * 4 + plan.trims.size * 4 + plan.trusts.size + 4;
  n += 6 + 2 * CHANGE_FIELDS;
  for (const ids of plan.seen.values()) n += 4 + ids.length;
  for (const fields of plan.increments.values()) n += 4 + fields.size * 2;
  for (const fields of plan.maxima.values()) n += 4 + fields.size * 2;
  n += plan.spellPrunes.size * 6;
  if (plan.scopeMarker) n += 7;
  for (const op of plan.state) {
    if (op.mirror) n += 3 + 2 * op.mirror.keys.length;
    if (op.op === 'discharge') n += 21 + op.ifNotMeeting.length * 4;
    else if (op.op === 'ctr') n += 18 + op.corrections.length * 4;
    else if (op.op === 'sample') n += 30 + op.over.length * 2 + op.targets.length * 3;
    else n += 12;
  }
  for (const report of plan.reports) n += (report.change ? 7 : 5) + report.parents.length * 2;
  return n;
}

/** Whether the plan is within MAX_PLAN_ARGUMENTS (else split the records it came from). */
export function planFits(plan: BatchPlan): boolean {
  return planArguments(plan) <= MAX_PLAN_ARGUMENTS;
}

export interface EncodedPlan {
  keys: string[];
  argv: (string | number)[];
}

/** Encodes a plan; throws PLAN_TOO_LARGE past MAX_PLAN_ARGUMENTS. */
export function encodePlan(plan: BatchPlan): EncodedPlan {
  const keys: string[] = [plan.offsetKey];
  const index = new Map<string, number>([[plan.offsetKey, 1]]);
  const k = (key: string): number => {
    let i = index.get(key);
    if (i === undefined) {
      i = keys.push(key);
      index.set(key, i);
    }
    return i;
  };
  const argv: (string | number)[] = [plan.fence ?? '', plan.next];

  const marker = plan.scopeMarker;
  if (marker) argv.push('V', k(marker.key), k(plan.trustsKey), marker.structure, marker.clock);
  for (const [key, ids] of plan.seen) argv.push('S', k(key), ids.length, ...ids);
  const hashes = (opcode: string, map: Map<string, Map<string, number>>) => {
    for (const [key, fields] of map) {
      argv.push(opcode, k(key), fields.size);
      for (const [field, value] of fields) argv.push(field, value);
    }
  };
  hashes('H', plan.increments);
  hashes('M', plan.maxima);
  if (plan.trusts.size > 0) argv.push('S', k(plan.trustsKey), plan.trusts.size, ...plan.trusts);
  const increments = (list: readonly { key: string; field: string; by: number }[]) => {
    argv.push(list.length);
    for (const inc of list) argv.push(k(inc.key), inc.field, inc.by);
  };
  for (const op of plan.state) {
    if (op.mirror)
      argv.push('W', op.mirror.prefix, op.mirror.keys.length, ...op.mirror.keys.map(k));
    switch (op.op) {
      case 'open':
        argv.push(
          'O',
          k(op.closed),
          k(op.open[0]),
          k(op.open[1]),
          k(op.open[2]),
          op.group + 1,
          op.id,
          op.score,
        );
        break;
      case 'close':
        argv.push('C', k(op.closed), k(op.open[0]), k(op.open[1]), k(op.open[2]), op.id, op.at);
        break;
      case 'ctr':
        argv.push('R', k(op.spell), k(op.index), k(op.ctr[0]), k(op.ctr[1]), k(op.ctr[2]));
        argv.push(op.group + 1, op.id, op.at, op.meets ? 1 : 0, op.window);
        increments(op.corrections);
        break;
      case 'discharge':
        argv.push('D', k(op.closed), k(op.spell), k(op.index));
        argv.push(k(op.ctr[0]), k(op.ctr[1]), k(op.ctr[2]), op.id, op.at, op.window);
        argv.push(op.group + 1, op.icb, op.region);
        increments(op.ifNotMeeting);
        break;
      case 'beds':
        argv.push('B', k(op.key), op.field, op.at, op.open, op.occupied);
        break;
      case 'sample':
        argv.push('G', ...[...op.ed, ...op.rtt, ...op.ctr, op.beds].map(k), ...op.since);
        argv.push(op.over.length, ...op.over.flat(), op.targets.length);
        for (const target of op.targets) argv.push(k(target.key), target.field);
        break;
    }
  }
  for (const report of plan.reports) {
    argv.push(report.change ? 'K' : 'N', k(report.key), report.field, report.parents.length);
    for (const parent of report.parents) argv.push(k(parent));
    if (report.change) argv.push(report.change.bucket, report.change.scopes.join(','));
  }
  for (const [key, below] of plan.trims) argv.push('T', k(key), below);
  for (const [key, { index, below }] of plan.spellPrunes) argv.push('P', k(key), k(index), below);
  for (const [key, at] of plan.expiries) argv.push('X', k(key), at);
  const entry = changeEntryOf(plan);
  if (entry) {
    const { key, maxLength, maxAgeMs } = plan.changes;
    argv.push('L', k(key), maxLength, maxAgeMs, entry.length / 2, ...entry);
  }
  const size = keys.length + argv.length;
  if (size > MAX_PLAN_ARGUMENTS) {
    throw new StoreError(
      'PLAN_TOO_LARGE',
      `plan of partition ${plan.partition} takes ${size} script arguments, more than ${MAX_PLAN_ARGUMENTS}: apply its records in smaller batches`,
    );
  }
  return { keys, argv };
}
