import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KAFKA_IMAGE, REDIS_IMAGE, repoRoot } from '../src/index.js';

// The Compose Specification's JSON schema (compose-spec/compose-spec, schema/compose-spec.json),
// as shipped in the `dclint` npm package's schemas/compose.schema.json.
// It is draft-07, Ajv's default, but names it by an https URL Ajv does not register: drop $schema.
function composeSchema(): object {
  const dclint = dirname(createRequire(import.meta.url).resolve('dclint/package.json'));
  const file = join(dclint, 'schemas', 'compose.schema.json');
  const { $schema: _draft07, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Record<
    string,
    unknown
  >;
  return schema;
}

interface ComposeService {
  image?: string;
  healthcheck?: { test?: unknown; disable?: boolean };
}

const root = repoRoot();
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const pom = readFileSync(join(root, 'infra', 'kafka', 'pom.xml'), 'utf8');
const validate = new Ajv({ allErrors: true, strict: false }).compile(composeSchema());

describe('docker-compose.yml', () => {
  it('docker-compose.yml should validate against the Compose Specification schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check should reject a compose file with a misspelt service key', () => {
    expect(validate({ services: { redis: { image: REDIS_IMAGE, helthcheck: {} } } })).toBe(false);
  });

  it('every service should pin its image to an exact version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, name).toMatch(/^[\w./-]+:\d+\.\d+\.\d+$/);
    }
  });

  it('every service should have a health check', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, name).toBeDefined();
      expect(service.healthcheck?.disable, name).not.toBe(true);
    }
  });

  it('the kafka image should be the Kafka release pinned in infra/kafka and used by the testkit', () => {
    const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${kafkaVersion}`);
    expect(KAFKA_IMAGE).toBe(compose.services.kafka?.image);
  });

  it('the redis image should be the one the testkit starts', () => {
    expect(REDIS_IMAGE).toBe(compose.services.redis?.image);
  });
});
