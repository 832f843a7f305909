// The environment docker-compose.yml gives each service is one its configuration accepts: every
// variable is one the service reads, and the values load. (The file's shape is checked in
// packages/testkit/test/compose.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregatorEnv, loadAggregatorConfig } from 'aggregator';
import { feedsApiEnv, loadFeedsApiConfig } from 'feeds-api';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';
import { USAGE } from 'simulator';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { root } from './dockerfile.js';

type Env = Record<string, string>;

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { environment?: Record<string, string | number> }>;
};

/** A service's compose environment as the process sees it: every value a string. */
function envOf(service: string): Env {
  const environment = compose.services[service]?.environment;
  if (!environment) throw new Error(`docker-compose.yml: ${service} has no environment`);
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)]));
}

describe('docker-compose.yml environment', () => {
  it('aggregator should read every variable compose sets, and load them', () => {
    const env = envOf('aggregator');
    expect(Object.keys(env).filter((name) => !(name in aggregatorEnv))).toEqual([]);
    const config = loadAggregatorConfig(env);
    expect(config.brokers).toEqual(['kafka:29092']);
    expect(config).toMatchObject({ host: '0.0.0.0', port: 9464 });
  });

  it('feeds-api should read every variable compose sets, and load them', () => {
    const env = envOf('feeds-api');
    expect(Object.keys(env).filter((name) => !(name in feedsApiEnv))).toEqual([]);
    expect(loadFeedsApiConfig(env)).toMatchObject({ host: '0.0.0.0', port: 8080 });
  });

  it('simulator should be given only the variables it documents', () => {
    const documented = /^Environment: (.*)$/m.exec(USAGE)?.[1] ?? '';
    for (const name of Object.keys(envOf('simulator'))) expect(documented).toContain(name);
  });

  it('feeds-api should read the keys the aggregator writes', () => {
    const aggregator = loadAggregatorConfig(envOf('aggregator'));
    const api = loadFeedsApiConfig(envOf('feeds-api'));
    expect(api.keyPrefix).toBe(aggregator.keyPrefix);
    expect(api.activityTopic).toBe(aggregator.activityTopic);
    expect(api.redisUrl).toBe(aggregator.redisUrl);
    // The API merges as many partitions as the activity topic has (as kafka-init creates it).
    expect(api.topicPartitions).toBe(ACTIVITY_PARTITIONS);
  });
});
