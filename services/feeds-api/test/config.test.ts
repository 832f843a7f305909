import { ConfigError } from '@pulse/config';
import { describe, expect, it } from 'vitest';
import { loadFeedsApiConfig } from '../src/config.js';
import { ACTIVITY_PARTITIONS, ACTIVITY_TOPIC } from '@pulse/topology';

describe('config', () => {
  it('config should run locally with no variables set', () => {
    expect(loadFeedsApiConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      logLevel: 'info',
      port: 8080,
      host: '127.0.0.1',
      keyPrefix: 'pulse',
      activityTopic: ACTIVITY_TOPIC,
      topicPartitions: ACTIVITY_PARTITIONS,
      snapshotCacheMs: 1000,
      corsOrigins: [],
      publicUrl: undefined,
      stream: {
        coalesceMs: 1_000,
        heartbeatMs: 15_000,
        pollMs: 50,
        maxConnections: 20_000,
        maxPerClient: 20,
        maxBufferBytes: 1024 * 1024,
        maxLifetimeMs: 3_600_000,
        retryMs: 2_000,
        pageLimit: 1_000,
        leaseMs: 30_000,
      },
      publicTier: { tickMs: 60_000, maxSeriesPoints: 200 },
      rateLimits: { publicMax: 600, tokenMax: 6_000, windowMs: 60_000 },
      auth: {
        production: false,
        jwksFile: undefined,
        jwksUrl: undefined,
        issuer: 'urn:ics-pulse:auth',
        audience: 'urn:ics-pulse:feeds-api',
      },
    });
  });

  it('config should refuse production mode without configured keys', () => {
    for (const env of [{ NODE_ENV: 'production' }, { AUTH_MODE: 'production' }]) {
      expect(() => loadFeedsApiConfig(env), JSON.stringify(env)).toThrow(
        /AUTH_JWKS_FILE or AUTH_JWKS_URL: production mode/,
      );
    }
    const configured = loadFeedsApiConfig({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://login.example/.well-known/jwks.json',
    });
    expect(configured.auth).toMatchObject({ production: true, jwksUrl: expect.any(String) });
    expect(
      loadFeedsApiConfig({ NODE_ENV: 'production', AUTH_MODE: 'development' }).auth.production,
    ).toBe(false);
    expect(() =>
      loadFeedsApiConfig({ AUTH_JWKS_FILE: '/keys.json', AUTH_JWKS_URL: 'https://a.example/k' }),
    ).toThrow(/set one, not both/);
    expect(() => loadFeedsApiConfig({ AUTH_JWKS_URL: 'http://keys.example/jwks' })).toThrow(
      /https/,
    );
  });

  it('config should read every variable', () => {
    const config = loadFeedsApiConfig({
      REDIS_URL: 'redis://redis:6379',
      LOG_LEVEL: 'debug',
      PORT: '9000',
      HOST: '0.0.0.0',
      KEY_PREFIX: 'tenant-a',
      ACTIVITY_TOPIC,
      TOPIC_PARTITIONS: '24',
      CORS_ORIGINS: 'https://a.example, https://b.example:8443',
      PUBLIC_URL: 'https://pulse.example',
      STREAM_COALESCE_MS: '250',
      STREAM_MAX_PER_CLIENT: '12000',
      STREAM_LEASE_MS: '10000',
      PUBLIC_TICK_MS: '900000',
      PUBLIC_SERIES_MAX_POINTS: '96',
    });
    expect(config.stream).toMatchObject({ coalesceMs: 250, maxPerClient: 12_000, leaseMs: 10_000 });
    expect(config.publicTier).toEqual({ tickMs: 900_000, maxSeriesPoints: 96 });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      topicPartitions: 24,
      corsOrigins: ['https://a.example', 'https://b.example:8443'],
      publicUrl: 'https://pulse.example',
    });
  });

  it('config should name every bad variable at once', () => {
    let error: unknown;
    try {
      loadFeedsApiConfig({
        PORT: 'eighty',
        TOPIC_PARTITIONS: '0',
        CORS_ORIGINS: 'example.com',
        STREAM_HEARTBEAT_MS: '30000',
        STREAM_LEASE_MS: '100',
        PUBLIC_SERIES_MAX_POINTS: '5000',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^TOPIC_PARTITIONS: /m);
    expect(problems).toMatch(/^CORS_ORIGINS.*: each origin must be/m);
    expect(problems).toMatch(/^STREAM_HEARTBEAT_MS: /m);
    expect(problems).toMatch(/^STREAM_LEASE_MS: /m);
    expect(problems).toMatch(/^PUBLIC_SERIES_MAX_POINTS: /m);
  });
});
