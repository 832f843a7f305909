// The testcontainers path: used when a Docker engine is reachable and env gives no addresses.
// testcontainers is imported lazily, so machines without Docker never load it.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_IMAGE, REDIS_IMAGE } from './images.js';
import { freePort } from './ports.js';

export interface StartedService {
  address: string;
  stop(): Promise<void>;
}

/**
 * True when a container engine answers. Looks for a hint first (DOCKER_HOST, a testcontainers
 * setting, a Docker socket) so machines without Docker skip loading testcontainers at all.
 */
export async function containerEngineReachable(env: NodeJS.ProcessEnv): Promise<boolean> {
  const sockets = ['/var/run/docker.sock', join(homedir(), '.docker', 'run', 'docker.sock')];
  const hinted =
    Boolean(env.DOCKER_HOST || env.TESTCONTAINERS_HOST_OVERRIDE) ||
    sockets.some((socket) => existsSync(socket));
  if (!hinted) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * apache/kafka in KRaft mode, one node. The host port is fixed before start and used inside the
 * container too, so the address the broker advertises works from the host.
 */
export async function startKafkaContainer(): Promise<StartedService> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const port = await freePort();
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://:${port},CONTROLLER://:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${port}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m',
    })
    .withExposedPorts({ container: port, host: port })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return { address: `${host}:${port}`, stop: async () => void (await container.stop()) };
}

/** The official redis image without persistence (test data is throw-away). */
export async function startRedisContainer(): Promise<StartedService> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(REDIS_IMAGE)
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .start();
  const address = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
  return { address, stop: async () => void (await container.stop()) };
}
