// Abuse limits: per-client request limits counted in Redis (429 problem + Retry-After), and the
// concurrent-stream limiter the push routes take a slot from.
import { describe, expect, it } from 'vitest';
import { createStreamLimiter } from '../src/stream-limiter.js';
import { devToken, get, testApp } from './helpers.js';

describe('rate limits', () => {
  it('a client over its limit should get a 429 problem with Retry-After, counted per client', async () => {
    const t = await testApp({ rateLimits: { publicMax: 4, tokenMax: 5, windowMs: 60_000 } });
    const anonymous = { authorization: '' };
    // The helper's first request reads /openapi.json: that is this client's first of 4.
    await t.checker();
    for (let i = 0; i < 3; i++) {
      const res = await get(t, '/v1/organisations/regions', anonymous);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await get(t, '/v1/organisations/regions', anonymous);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Health probes are not counted; a token's subject has its own count.
    expect((await get(t, '/healthz', anonymous)).statusCode).toBe(200);
    const token = { authorization: `Bearer ${await devToken({ role: 'national', subject: 'a' })}` };
    expect((await get(t, '/v1/organisations/regions', token)).statusCode).toBe(200);
    // The counters are in Redis, under the key prefix.
    expect((await t.redis.keys(`${t.prefix}:ratelimit:*`)).length).toBeGreaterThanOrEqual(2);
  });

  it('the stream limiter should hold at most N streams per client and free expired leases', async () => {
    const t = await testApp();
    let now = 1_000_000;
    const limiter = createStreamLimiter(t.redis, {
      prefix: `${t.prefix}:streams:`,
      maxPerClient: 2,
      leaseMs: 30_000,
      now: () => now,
    });
    expect(await limiter.acquire('sub:a', 's1')).toBe(true);
    expect(await limiter.acquire('sub:a', 's2')).toBe(true);
    expect(await limiter.acquire('sub:a', 's3')).toBe(false);
    expect(await limiter.acquire('sub:b', 's1')).toBe(true);
    await limiter.release('sub:a', 's1');
    expect(await limiter.acquire('sub:a', 's3')).toBe(true);
    expect(await limiter.count('sub:a')).toBe(2);
    // s2 and b's s1 renewed; s3 not, and a's released s1 not taken again: after s3's lease only
    // s2 holds a slot of a's.
    now += 20_000;
    await limiter.renewAll([
      { client: 'sub:a', streamId: 's2' },
      { client: 'sub:b', streamId: 's1' },
      { client: 'sub:a', streamId: 's1' },
    ]);
    now += 20_000;
    expect(await limiter.count('sub:a')).toBe(1);
    expect(await limiter.count('sub:b')).toBe(1);
    expect(await limiter.acquire('sub:a', 's4')).toBe(true);
    expect(await limiter.acquire('sub:a', 's5')).toBe(false);
  });

  it('a lease renewal that Redis refuses should reject, naming the error', async () => {
    const t = await testApp();
    const limiter = createStreamLimiter(t.redis, {
      prefix: `${t.prefix}:streams:`,
      maxPerClient: 2,
      leaseMs: 30_000,
    });
    expect(await limiter.acquire('sub:a', 's1')).toBe(true);
    // sub:b's key holds a string, so its ZADD fails while sub:a's renewal goes through.
    await t.redis.set(`${t.prefix}:streams:sub:b`, 'not a sorted set');
    await expect(
      limiter.renewAll([
        { client: 'sub:a', streamId: 's1' },
        { client: 'sub:b', streamId: 's1' },
      ]),
    ).rejects.toThrow(/WRONGTYPE/);
    expect(await limiter.count('sub:a')).toBe(1);
  });
});
