// Concurrent streams per client, across every replica: the primitive the push routes (SSE) take
// a slot from before they start streaming, and give back when the stream ends. Each client has a
// sorted set in Redis of its open streams, scored by lease expiry; a stream renews its lease while
// open, so a replica that dies leaks its slots for one lease at most. Acquire, renew and release
// are each one atomic script or command.
import { defineScript, type Redis } from '@pulse/redis';

const ACQUIRE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

export interface StreamLimiterOptions {
  /** Key prefix (`<KEY_PREFIX>:streams:`). */
  prefix: string;
  /** Streams one client may hold open at once. */
  maxPerClient: number;
  /** How long a slot lasts without renewal, ms (renew well within it). */
  leaseMs: number;
  now?: () => number;
}

export interface StreamLimiter {
  /** Takes a slot for `streamId`; false when the client already holds maxPerClient. */
  acquire(client: string, streamId: string): Promise<boolean>;
  /**
   * Extends the leases of slots still held (call every leaseMs / 3 or so while streaming), in one
   * round trip of two commands per client: a process renews all its streams at once. Rejects
   * with the first command's error when any failed (the others still ran).
   */
  renewAll(leases: readonly { client: string; streamId: string }[]): Promise<void>;
  release(client: string, streamId: string): Promise<void>;
  /** Open streams of the client (leases not expired). */
  count(client: string): Promise<number>;
}

export function createStreamLimiter(redis: Redis, options: StreamLimiterOptions): StreamLimiter {
  const { prefix, maxPerClient, leaseMs } = options;
  if (!Number.isInteger(maxPerClient) || maxPerClient < 1)
    throw new RangeError('maxPerClient must be a positive integer');
  if (!(leaseMs > 0)) throw new RangeError('leaseMs must be > 0');
  const now = options.now ?? Date.now;
  const acquireScript = defineScript(redis, {
    name: 'pulseStreamAcquire',
    lua: ACQUIRE,
    numberOfKeys: 1,
  });
  const key = (client: string) => `${prefix}${client}`;
  return {
    async acquire(client, streamId) {
      const at = now();
      return (await acquireScript([key(client)], [at, leaseMs, maxPerClient, streamId])) === 1;
    },
    async renewAll(leases) {
      if (leases.length === 0) return;
      const until = now() + leaseMs;
      const byClient = new Map<string, (number | string)[]>();
      for (const { client, streamId } of leases) {
        const pairs = byClient.get(client) ?? [];
        pairs.push(until, streamId);
        byClient.set(client, pairs);
      }
      const pipeline = redis.pipeline();
      // XX: a slot released (or expired) meanwhile is not taken again.
      for (const [client, pairs] of byClient)
        pipeline.zadd(key(client), 'XX', ...pairs).pexpire(key(client), leaseMs);
      // A pipeline resolves with each command's error beside its reply: the first one is thrown.
      const failed = (await pipeline.exec())?.find(([err]) => err);
      if (failed) throw failed[0]!;
    },
    async release(client, streamId) {
      await redis.zrem(key(client), streamId);
    },
    async count(client) {
      return redis.zcount(key(client), `(${now()}`, '+inf');
    },
  };
}
