// Services run from source outside vitest (the benchmarks): each `main.ts` as deployed, waited
// for until it answers, and stopped; the Kafka and Redis they share come from `npm run bench`.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { repoRoot } from './repo.js';

/** Node's arguments to run TypeScript from source, as the services' dev scripts do. */
export const FROM_SOURCE_ARGS: readonly string[] = [
  '--import',
  'tsx',
  '--conditions=@pulse/source',
];

/** KAFKA_BROKERS and REDIS_URL, which `npm run bench` sets; throws without them. */
export function benchInfraFromEnv(): { brokers: string; redisUrl: string } {
  const brokers = process.env['KAFKA_BROKERS'];
  const redisUrl = process.env['REDIS_URL'];
  if (!brokers || !redisUrl) {
    throw new Error(
      'KAFKA_BROKERS and REDIS_URL are not set: run the benchmarks with `npm run bench`',
    );
  }
  return { brokers, redisUrl };
}

/**
 * Starts `script` (a path from the repository root) from source with the environment plus `env`;
 * its stderr is shown, its stdout shown or dropped.
 */
export function startFromSource(
  script: string,
  env: Record<string, string>,
  { stdout = 'ignore' }: { stdout?: 'inherit' | 'ignore' } = {},
): ChildProcess {
  return spawn(process.execPath, [...FROM_SOURCE_ARGS, join(repoRoot(), script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'inherit'],
  });
}

/** Polls `url` every 200 ms until it answers 2xx; throws once `child` has exited. */
export async function untilOk(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
}

/** SIGTERM, then SIGKILL if it has not exited within 15 s; at once if it already has. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
}

export interface AggregatorRun {
  brokers: string;
  redisUrl: string;
  /** The activity topic; its dead-letter topic is `${topic}-dlq`. */
  topic: string;
  groupId: string;
  keyPrefix: string;
  port: number;
}

/** One aggregator process (`src/main.ts`, defaults otherwise) on its own topic, group and keys. */
export function startAggregator(
  run: AggregatorRun,
  options?: { stdout?: 'inherit' | 'ignore' },
): ChildProcess {
  return startFromSource(
    'services/aggregator/src/main.ts',
    {
      KAFKA_BROKERS: run.brokers,
      REDIS_URL: run.redisUrl,
      ACTIVITY_TOPIC: run.topic,
      DLQ_TOPIC: `${run.topic}-dlq`,
      GROUP_ID: run.groupId,
      KEY_PREFIX: run.keyPrefix,
      PORT: String(run.port),
      LOG_LEVEL: 'warn',
    },
    options,
  );
}

/** Creates `topic` with `partitions` partitions and its dead-letter topic `${topic}-dlq` (one). */
export async function createTopicWithDlq(
  admin: Admin,
  topic: string,
  partitions: number,
): Promise<void> {
  const topics = [topic, `${topic}-dlq`];
  try {
    await admin.createTopics({
      topics: [
        { topic, numPartitions: partitions },
        { topic: `${topic}-dlq`, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
  } catch (err) {
    // On a busy broker kafkajs' wait for leaders can fail with a retriable metadata error
    // ("does not host this topic-partition") although the topics were created: wait for the
    // leaders here instead.
    if ((err as { retriable?: unknown }).retriable !== true) throw err;
    await untilLeaders(admin, topics, err as Error);
  }
}

/** Polls the topics' metadata until every partition has a leader (at most about a minute). */
async function untilLeaders(admin: Admin, topics: string[], cause: Error): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const led = await admin
      .fetchTopicMetadata({ topics })
      .then((m) => m.topics.every((t) => t.partitions.every((p) => p.leader >= 0)))
      .catch(() => false);
    if (led) return;
    await sleep(500);
  }
  throw new Error(`topics ${topics.join(', ')} have no leaders`, { cause });
}

/** Deletes `topic` and `${topic}-dlq`; a failure is ignored (clean-up after a run). */
export async function deleteTopicWithDlq(admin: Admin, topic: string): Promise<void> {
  await admin.deleteTopics({ topics: [topic, `${topic}-dlq`] }).catch(() => undefined);
}
