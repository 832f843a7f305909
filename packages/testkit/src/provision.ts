import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  containerEngineReachable,
  startKafkaContainer,
  startRedisContainer,
  type StartedService,
} from './containers.js';
import type { InfraSource, ProvisionedInfra } from './infra.js';
import { startLocalKafka, startLocalRedis, stopLocal } from './local.js';

/** Starts one part; `onStop` is given its release before it starts, when that is possible. */
type StartPart = (
  signal: AbortSignal | undefined,
  onStop: (stop: () => Promise<void>) => void,
) => Promise<StartedService>;

type Backend = { source: InfraSource; kafka: StartPart; redis: StartPart };

/** Local processes (infra/kafka, infra/redis) on free ports, with their files in a temp folder. */
function localBackend(dir: string): Backend {
  const local =
    (service: 'kafka' | 'redis', start: typeof startLocalKafka): StartPart =>
    async (signal, onStop) => {
      const serviceDir = join(dir, service);
      // Stopping by directory works whatever state a start reached (it finds the pid file, if any).
      onStop(() => stopLocal(service, serviceDir));
      const address = await start({ dir: serviceDir, port: 0, ...(signal ? { signal } : {}) });
      return { address, stop: async () => {} };
    };
  return {
    source: 'local',
    kafka: local('kafka', startLocalKafka),
    redis: local('redis', startLocalRedis),
  };
}

const containerBackend: Backend = {
  source: 'container',
  kafka: () => startKafkaContainer(),
  redis: () => startRedisContainer(),
};

export interface ProvisionOptions {
  /**
   * Aborting while starting stops whatever was started and rejects (Ctrl-C during `npm run
   * demo`): no broker, redis-server or temp folder is left behind.
   */
  signal?: AbortSignal;
}

/**
 * Finds or starts a Kafka broker and a Redis for a test run:
 * 1. KAFKA_BROKERS / REDIS_URL when set (each on its own; nothing is started or stopped for them);
 * 2. else testcontainers when a Docker engine is reachable;
 * 3. else local processes from infra/ (Java + Maven for Kafka, Debian's redis-server).
 * PULSE_TEST_INFRA=local or =containers forces 2 or 3. `stop()` releases only what was started.
 */
export async function provisionInfra(
  env: NodeJS.ProcessEnv = process.env,
  { signal }: ProvisionOptions = {},
): Promise<ProvisionedInfra> {
  const given = { kafka: env.KAFKA_BROKERS?.trim(), redis: env.REDIS_URL?.trim() };
  const stops: (() => Promise<void>)[] = [];
  let tempDir: string | undefined;
  const stop = async () => {
    for (const release of stops.reverse()) await release();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
  let backend: Backend | undefined;
  const backendFor = async (): Promise<Backend> => {
    if (backend) return backend;
    const mode = env.PULSE_TEST_INFRA ?? 'auto';
    const containers =
      mode === 'containers' || (mode === 'auto' && (await containerEngineReachable(env)));
    if (containers) return (backend = containerBackend);
    tempDir = await mkdtemp(join(tmpdir(), 'pulse-test-'));
    return (backend = localBackend(tempDir));
  };
  const obtain = async (part: 'kafka' | 'redis'): Promise<[string, InfraSource]> => {
    const fromEnv = given[part];
    if (fromEnv) return [fromEnv, 'env'];
    const chosen = await backendFor();
    signal?.throwIfAborted();
    const started = await chosen[part](signal, (release) => stops.push(release));
    stops.push(started.stop);
    return [started.address, chosen.source];
  };
  try {
    signal?.throwIfAborted();
    const [kafkaBrokers, kafkaSource] = await obtain('kafka');
    const [redisUrl, redisSource] = await obtain('redis');
    return { kafkaBrokers, redisUrl, sources: { kafka: kafkaSource, redis: redisSource }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
