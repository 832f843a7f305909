import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PULSE_TOPICS } from '@pulse/topology';
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
  build?: { context?: string; dockerfile?: string };
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: unknown[];
  container_name?: string;
  restart?: string;
  command?: string | string[];
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

  it('every service should pin its image to an exact version or be built from a Dockerfile', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) expect(service.image, name).toBeUndefined();
      else expect(service.image, name).toMatch(/^[\w./-]+:\d+\.\d+\.\d+$/);
    }
  });

  it('every long-running service should have a health check', () => {
    for (const [name, service] of longRunning) {
      expect(service.healthcheck?.test, name).toBeDefined();
      expect(service.healthcheck?.disable, name).not.toBe(true);
    }
  });

  it('every one-shot job should be awaited by a service that needs it to have succeeded', () => {
    for (const [name, service] of oneShot) {
      const awaitedBy = Object.values(compose.services).filter(
        (other) => dependsOn(other)[name] === 'service_completed_successfully',
      );
      expect(service.healthcheck, name).toBeUndefined();
      expect(awaitedBy.length, name).toBeGreaterThan(0);
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

/** `depends_on` as service -> condition; a short-form list (no condition) maps to undefined. */
function dependsOn(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition]));
}

/** The argument after `flag` in a command line, each time it occurs. */
function flagValues(command: string, flag: string): string[] {
  return [...command.matchAll(new RegExp(`${flag}\\s+(\\S+)`, 'g'))].map((match) => match[1]!);
}

const entries = Object.entries(compose.services);
/** Jobs that run once and exit (restart: 'no'); everything else stays up. */
const oneShot = entries.filter(([, service]) => service.restart === 'no');
const longRunning = entries.filter(([, service]) => service.restart !== 'no');
const built = entries.filter(([, service]) => service.build);
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

describe('docker-compose.yml services', () => {
  it('should build every service under services/ from its own Dockerfile', () => {
    const services = readdirSync(join(root, 'services'), { withFileTypes: true })
      .filter((entry) => existsSync(join(root, 'services', entry.name, 'Dockerfile')))
      .map((entry) => entry.name);
    expect(built.map(([name]) => name).sort()).toEqual(services.sort());
    for (const [name, { build }] of built) {
      expect(build?.context, name).toBe('.');
      expect(build?.dockerfile, name).toBe(`services/${name}/Dockerfile`);
      expect(existsSync(join(root, build!.context!, build!.dockerfile!)), name).toBe(true);
    }
  });

  it('every dependency should name a condition, and wait for health where there is a check', () => {
    for (const [name, svc] of entries) {
      expect(Array.isArray(svc.depends_on), `${name}: depends_on needs conditions`).toBe(false);
      for (const [dep, condition] of Object.entries(dependsOn(svc))) {
        const target = service(dep);
        const expected =
          target.restart === 'no' ? 'service_completed_successfully' : 'service_healthy';
        expect(condition, `${name} -> ${dep}`).toBe(expected);
      }
    }
  });

  it('the services should wait for what they use', () => {
    expect(Object.keys(dependsOn(service('simulator'))).sort()).toEqual(['kafka', 'kafka-init']);
    expect(Object.keys(dependsOn(service('aggregator'))).sort()).toEqual([
      'kafka',
      'kafka-init',
      'redis',
    ]);
    expect(Object.keys(dependsOn(service('feeds-api'))).sort()).toEqual(['aggregator', 'redis']);
  });

  it('the aggregator should be scalable: no container name and no host port', () => {
    const aggregator = service('aggregator');
    expect(aggregator.container_name).toBeUndefined();
    expect(aggregator.ports).toBeUndefined();
  });

  it('the services should reach Kafka on its internal listener and Redis by service name', () => {
    const advertised = String(service('kafka').environment?.KAFKA_ADVERTISED_LISTENERS);
    for (const [name, { environment = {} }] of built) {
      if ('KAFKA_BROKERS' in environment) {
        expect(advertised, name).toContain(`INTERNAL://${environment.KAFKA_BROKERS}`);
      }
      if ('REDIS_URL' in environment)
        expect(environment.REDIS_URL, name).toBe('redis://redis:6379');
    }
  });

  it('kafka-init should create the project topics with their partition counts', () => {
    const command = [service('kafka-init').command ?? ''].flat().join(' ');
    const topics = flagValues(command, '--topic');
    const partitions = flagValues(command, '--partitions').map(Number);
    expect(flagValues(command, '--bootstrap-server')).toEqual(['kafka:29092', 'kafka:29092']);
    expect(command).toContain('--if-not-exists');
    expect(topics.map((topic, i) => ({ topic, numPartitions: partitions[i] }))).toEqual(
      PULSE_TOPICS.map(({ topic, numPartitions }) => ({ topic, numPartitions })),
    );
    // Each topic's --config flags are its topic configs (the activity topic's LogAppendTime and
    // retention), in one create command per topic.
    const creates = command.split('&&');
    expect(creates.map((create) => flagValues(create, '--config'))).toEqual(
      PULSE_TOPICS.map(({ configEntries = [] }) =>
        configEntries.map((c) => `${c.name}=${c.value}`),
      ),
    );
  });

  it('no service should set the topology, so each takes @pulse/topology as its default', () => {
    // The feeds API merges partitions 0..N-1 of the activity topic: its default N is the count
    // kafka-init creates (checked above), so compose must not set another.
    const topology = ['ACTIVITY_TOPIC', 'DLQ_TOPIC', 'TOPIC_PARTITIONS', 'KEY_PREFIX'];
    for (const [name, { environment = {} }] of entries) {
      expect(
        Object.keys(environment).filter((key) => topology.includes(key)),
        name,
      ).toEqual([]);
    }
  });

  it('the simulator should run its image command with --catch-up, as npm run demo does', () => {
    const dockerfile = readFileSync(join(root, 'services', 'simulator', 'Dockerfile'), 'utf8');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(cmd.length).toBeGreaterThan(0);
    expect(service('simulator').command).toEqual([...cmd, '--catch-up']);
  });

  it('the feeds API should be published on 8080 and health-checked on the port it listens on', () => {
    const api = service('feeds-api');
    expect(api.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(api.environment).toMatchObject({ HOST: '0.0.0.0', PORT: '8080' });
    expect(JSON.stringify(api.healthcheck?.test)).toContain('127.0.0.1:8080/healthz');
    const aggregator = service('aggregator');
    // Its ops server binds loopback unless told otherwise; /metrics is scraped over the network.
    expect(aggregator.environment).toMatchObject({ HOST: '0.0.0.0' });
    expect(JSON.stringify(aggregator.healthcheck?.test)).toContain(
      `127.0.0.1:${aggregator.environment?.PORT}/healthz`,
    );
  });
});
