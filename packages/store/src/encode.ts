// A plan -> the apply script's KEYS and ARGV. The encoding (see README "ARGV encoding"):
//   ARGV[1] fence  ARGV[2] next offset  ARGV[3] trim-below instant (ms)
//   then ops, each an opcode followed by key indexes (into KEYS) and values:
//   S k n id*n                 SADD ids to set k
//   H k n (field by)*n         HINCRBY fields of hash k
//   M k n (field value)*n      HSET fields of hash k where value > stored (or none stored)
//   O closed k1 k2 k3 g id score
//                              unless id is in the closed set: ZREM it from the three open sets,
//                              then ZADD it to set g (1..3) with the score
//   C closed k1 k2 k3 id at    ZREM id from the three open sets, ZADD it to closed with score at
//   R closed k1 k2 k3 g id     criteria to reside, unless the spell is closed: SREM id from the
//                              three sets, then SADD it to set g (1..3) unless g = 0 (meets)
//   D closed k1 k2 k3 id at n (k field by)*n
//                              discharge: if id is in one of the three sets, HINCRBY the n
//                              increments; SREM it from all three; ZADD it to closed
//   B k field at open occupied HSET field = 'at:open:occupied' unless the stored at is newer
//   T k                        ZREMRANGEBYSCORE k below the trim instant
//   X k at                     PEXPIREAT k at (ms)
// KEYS[1] is always the partition's offset key. Every key shares the partition's hash tag.
import type { BatchPlan } from './plan.js';

export interface EncodedPlan {
  keys: string[];
  argv: (string | number)[];
}

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
  const argv: (string | number)[] = [plan.fence, plan.next, plan.trimBelow];

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
  for (const op of plan.state) {
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
        argv.push('R', k(op.closed), k(op.ctr[0]), k(op.ctr[1]), k(op.ctr[2]), op.group + 1, op.id);
        break;
      case 'discharge':
        argv.push('D', k(op.closed), k(op.ctr[0]), k(op.ctr[1]), k(op.ctr[2]), op.id, op.at);
        argv.push(op.ifNotMeeting.length);
        for (const inc of op.ifNotMeeting) argv.push(k(inc.key), inc.field, inc.by);
        break;
      case 'beds':
        argv.push('B', k(op.key), op.field, op.at, op.open, op.occupied);
        break;
    }
  }
  for (const key of plan.trims) argv.push('T', k(key));
  for (const [key, at] of plan.expiries) argv.push('X', k(key), at);
  return { keys, argv };
}
