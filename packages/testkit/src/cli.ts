// pulse-infra: the local Kafka and Redis for development and for a whole test run.
//
//   up               start Kafka (port 9092 if free) and a private Redis under .pulse/, create the
//                    project's topics, print KAFKA_BROKERS=… and REDIS_URL=… (also in .pulse/infra.env)
//   down             stop what `up` started
//   run -- CMD ...   provision Kafka and Redis once (env, containers or local), run CMD with
//                    KAFKA_BROKERS and REDIS_URL set, release what was started, exit with CMD's code
//
// Run from the repository root through npm: `npm run infra:up`, `npm run infra:down`, `npm test`
// and `npm run bench` (so no benchmark falls back to a shared Redis on 6379).
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@pulse/logging';
import { createKafka, ensureTopics } from '@pulse/kafka';
import { PULSE_TOPICS } from '@pulse/topology';
import { provisionInfra, redactUrl, repoRoot } from './infra-entry.js';
import { startLocalKafka, startLocalRedis, stopLocal } from './local.js';
import { isPortFree } from './ports.js';

const say = (message: string) => process.stderr.write(`[infra] ${message}\n`);

function stateDirs() {
  const state = join(repoRoot(), '.pulse');
  return {
    state,
    kafka: join(state, 'kafka'),
    redis: join(state, 'redis'),
    envFile: join(state, 'infra.env'),
  };
}

async function createProjectTopics(brokers: string): Promise<void> {
  const logger = createLogger({ service: 'infra', level: 'warn' });
  const admin = createKafka({ brokers, clientId: 'pulse-infra', logger }).admin();
  await admin.connect();
  try {
    const { created, existing } = await ensureTopics(admin, PULSE_TOPICS);
    say(
      `topics created: ${created.join(', ') || 'none'}; already there: ${existing.join(', ') || 'none'}`,
    );
  } finally {
    await admin.disconnect();
  }
}

async function up(): Promise<void> {
  const dirs = stateDirs();
  mkdirSync(dirs.state, { recursive: true });
  // A broker already running in .pulse/kafka is reused whatever its port; else 9092 when free.
  const port = (await isPortFree(9092)) ? 9092 : 0;
  const kafkaBrokers = await startLocalKafka({ dir: dirs.kafka, port });
  const givenRedis = process.env.REDIS_URL?.trim();
  if (givenRedis)
    say(`using REDIS_URL from the environment (${redactUrl(givenRedis)}); no Redis started`);
  const redisUrl =
    givenRedis || (await startLocalRedis({ dir: dirs.redis, port: 0, persist: true }));
  await createProjectTopics(kafkaBrokers);
  const lines = `KAFKA_BROKERS=${kafkaBrokers}\nREDIS_URL=${redisUrl}\n`;
  writeFileSync(dirs.envFile, lines);
  process.stdout.write(lines);
}

async function down(): Promise<void> {
  const dirs = stateDirs();
  await stopLocal('kafka', dirs.kafka);
  await stopLocal('redis', dirs.redis);
  rmSync(dirs.envFile, { force: true });
}

function runChild(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    // Ctrl-C reaches the child through the terminal; wait for it so the infra is still released.
    const ignore = () => {};
    process.on('SIGINT', ignore).on('SIGTERM', ignore);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      process.off('SIGINT', ignore).off('SIGTERM', ignore);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function run(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command) throw new Error('usage: cli.ts run -- COMMAND [ARGS...]');
  const infra = await provisionInfra();
  const { kafka, redis } = infra.sources;
  say(`Kafka ${infra.kafkaBrokers} (${kafka}), Redis ${redactUrl(infra.redisUrl)} (${redis})`);
  try {
    return await runChild(command, args, {
      ...process.env,
      KAFKA_BROKERS: infra.kafkaBrokers,
      REDIS_URL: infra.redisUrl,
    });
  } finally {
    await infra.stop();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'up') await up();
  else if (command === 'down') await down();
  else if (command === 'run') return run(rest[0] === '--' ? rest.slice(1) : rest);
  else throw new Error('usage: cli.ts <up|down|run -- COMMAND...>');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    say(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
