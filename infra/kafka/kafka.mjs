#!/usr/bin/env node
// A single-node Apache Kafka (KRaft, loopback) run from its Maven Central jars with the local
// Java, no Docker. Usable by people and by @pulse/testkit:
//
//   node infra/kafka/kafka.mjs resolve                      fetch the jars (Maven), print the classpath file
//   node infra/kafka/kafka.mjs format [--dir D]             write server.properties, format storage once
//   node infra/kafka/kafka.mjs start  [--dir D] [--port P]  format if new, start, wait until it answers
//   node infra/kafka/kafka.mjs stop   [--dir D]             stop the broker started in D
//   node infra/kafka/kafka.mjs status [--dir D]             print its address, exit 1 when not running
//
// D defaults to .pulse/kafka at the repository root; P to 9092, or any free port with --port 0.
// `start` prints `KAFKA_BROKERS=127.0.0.1:P` on stdout; progress goes to stderr.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  choosePort,
  freePort,
  isAlive,
  readJson,
  removeFile,
  runCli,
  serviceCommand,
  spawnDetached,
  stopPid,
  waitUntil,
  writeJson,
} from '../lib/process.mjs';
import { apiVersions } from './protocol.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const pom = join(here, 'pom.xml');

/** The Kafka release pinned in pom.xml (docker-compose.yml must use the same image tag). */
export const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
  readFileSync(pom, 'utf8'),
)[1];

// A modest heap: the machine has 2 cores and the test suites run alongside. KAFKA_HEAP_OPTS overrides.
const heapOpts = (process.env.KAFKA_HEAP_OPTS ?? '-Xms128m -Xmx512m').split(/\s+/).filter(Boolean);
const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';

function log(message) {
  process.stderr.write(`[kafka] ${message}\n`);
}

function javaMajorVersion() {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error)
    throw new Error(
      `cannot run ${java}: install Java 17 or newer (Debian: openjdk-17-jre-headless)`,
    );
  const match = /version "(\d+)/.exec(result.stderr);
  return match ? Number(match[1]) : 0;
}

/**
 * Resolves the broker's jars with Maven (a no-op when ~/.m2 already has them) and returns the
 * path of a file holding the classpath. Cached per Kafka version under .pulse/ (or PULSE_KAFKA_CACHE).
 */
export function resolveClasspath() {
  const cacheDir = process.env.PULSE_KAFKA_CACHE ?? join(repoRoot, '.pulse', 'cache');
  const file = join(cacheDir, `kafka-${kafkaVersion}.classpath`);
  if (
    existsSync(file) &&
    readFileSync(file, 'utf8')
      .trim()
      .split(':')
      .every((jar) => existsSync(jar))
  )
    return file;
  if (javaMajorVersion() < 17) throw new Error('Kafka 4 needs Java 17 or newer');
  mkdirSync(cacheDir, { recursive: true });
  log(`resolving Kafka ${kafkaVersion} jars from Maven Central`);
  const partial = `${file}.${process.pid}.tmp`;
  const mvnArgs = [
    '-B',
    '-q',
    '-Dstyle.color=never',
    '-f',
    pom,
    'dependency:build-classpath',
    '-Dmdep.includeScope=runtime',
    `-Dmdep.outputFile=${partial}`,
  ];
  // Maven reports errors on stdout; show its output only when it fails.
  const result = spawnSync('mvn', mvnArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw new Error('cannot run mvn: install Maven 3 (Debian: maven)');
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`mvn exited with ${result.status} while resolving Kafka jars`);
  }
  renameSync(partial, file);
  return file;
}

function runJava(classpathFile, mainClass, args, extraJvm = []) {
  const classpath = readFileSync(classpathFile, 'utf8').trim();
  return [
    ...heapOpts,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    ...extraJvm,
    '-cp',
    classpath,
    mainClass,
    ...args,
  ];
}

/** server.properties for one combined broker+controller node on loopback. */
function serverProperties({ dataDir, port, controllerPort }) {
  return `# Written by infra/kafka/kafka.mjs on every start; edit that script, not this file.
node.id=1
process.roles=broker,controller
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${dataDir}
# One node: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
# Groups form at once instead of waiting 3 s for more members; tests start and stop many.
group.initial.rebalance.delay.ms=0
# Topics are created on purpose (ensureTopics, uniqueTopic), never by a typo in a producer.
auto.create.topics.enable=false
num.partitions=1
# Two cores: fewer threads than the defaults (3 network, 8 I/O).
num.network.threads=2
num.io.threads=4
`;
}

function clusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function paths(dir) {
  return {
    dir,
    dataDir: join(dir, 'data'),
    logsDir: join(dir, 'logs'),
    config: join(dir, 'server.properties'),
    state: join(dir, 'kafka.json'),
    out: join(dir, 'logs', 'kafka.out'),
  };
}

/** Writes server.properties and formats the storage once (a formatted directory is reused). */
function configure(p, classpathFile, { port, controllerPort }) {
  mkdirSync(p.logsDir, { recursive: true });
  writeFileSync(p.config, serverProperties({ dataDir: p.dataDir, port, controllerPort }));
  if (existsSync(join(p.dataDir, 'meta.properties'))) return;
  const id = clusterId();
  log(`formatting ${p.dataDir} (cluster id ${id})`);
  const jvm = [
    `-Dkafka.logs.dir=${p.logsDir}`,
    `-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`,
  ];
  execFileSync(
    java,
    runJava(classpathFile, 'kafka.tools.StorageTool', ['format', '-t', id, '-c', p.config], jvm),
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** The running broker recorded in `dir`, or undefined. */
export function status({ dir }) {
  const state = readJson(paths(dir).state);
  return state && isAlive(state.pid) ? state : undefined;
}

/**
 * Starts a broker whose files live in `dir`, listening on 127.0.0.1:`port` (0: any free port).
 * Returns `{ pid, port, controllerPort, brokers, version, dir }` once it answers ApiVersions.
 * A broker already running in `dir` is returned as it is.
 */
export async function start({ dir, port = 9092, timeoutMs = 120_000 }) {
  const p = paths(resolve(dir));
  const running = status(p);
  if (running) return running;
  const classpathFile = resolveClasspath();
  const brokerPort = await choosePort(port);
  const controllerPort = await freePort();
  configure(p, classpathFile, { port: brokerPort, controllerPort });
  const jvm = [
    `-Dkafka.logs.dir=${p.logsDir}`,
    `-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`,
  ];
  const pid = spawnDetached(java, runJava(classpathFile, 'kafka.Kafka', [p.config], jvm), {
    logFile: p.out,
  });
  const state = {
    pid,
    port: brokerPort,
    controllerPort,
    brokers: `127.0.0.1:${brokerPort}`,
    version: kafkaVersion,
    dir: p.dir,
  };
  writeJson(p.state, state);
  log(`starting Kafka ${kafkaVersion} on ${state.brokers} (pid ${pid}, logs in ${p.logsDir})`);
  try {
    await waitUntil(async () => (await apiVersions({ port: brokerPort })).errorCode === 0, {
      pid,
      timeoutMs,
      what: `Kafka on ${state.brokers}`,
      logFile: join(p.logsDir, 'server.log'),
    });
  } catch (err) {
    await stopPid(pid);
    removeFile(p.state);
    throw err;
  }
  return state;
}

/** Stops the broker started in `dir` (a controlled shutdown; SIGKILL after 30 s). */
export async function stop({ dir }) {
  const p = paths(resolve(dir));
  const state = readJson(p.state);
  if (state) await stopPid(state.pid);
  removeFile(p.state);
  return state;
}

async function main(options) {
  const [command] = options._;
  const dir = options.dir ?? join(repoRoot, '.pulse', 'kafka');
  const port = options.port === undefined ? 9092 : Number(options.port);
  if (command === 'resolve') {
    console.log(resolveClasspath());
    return;
  }
  if (command === 'format') {
    configure(paths(resolve(dir)), resolveClasspath(), { port, controllerPort: await freePort() });
    return;
  }
  const handled = await serviceCommand(command, {
    name: 'kafka',
    dir,
    start: () => start({ dir, port }),
    stop: () => stop({ dir }),
    status: () => status({ dir }),
    line: (state) => `KAFKA_BROKERS=${state.brokers}`,
  });
  if (!handled)
    throw new Error(
      'usage: kafka.mjs <resolve|format|start|stop|status> [--dir DIR] [--port PORT]',
    );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runCli(main);
