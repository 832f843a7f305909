// Kafka's Java client as a trust's producer, for tests: CompressedProducer.java run in source-file
// mode with the classpath of the broker the test kit runs (infra/kafka: kafka-clients and the
// lz4, zstd and snappy jars it uses), so batches are compressed as Java compresses them.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@pulse/testkit/infra';

const SOURCE = fileURLToPath(new URL('./java/CompressedProducer.java', import.meta.url));

export type JavaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';

/**
 * What stops Kafka's Java client (and a broker of the test's own) from running here, or
 * undefined: both need Java and Maven, which the test kit's local broker needs anyway. Tests
 * skip on it only outside CI (a broker from KAFKA_BROKERS or a container needs neither).
 */
export function kafkaJavaMissing(): string | undefined {
  const missing = [
    [java, '-version'],
    ['mvn', '-v'],
  ].filter(([tool, flag]) => spawnSync(tool!, [flag!], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return undefined;
  return `${missing.map(([tool]) => tool).join(' and ')} not found (a JDK 17+ and Maven)`;
}

/** The broker's classpath file (resolved with Maven once per machine, as the broker itself is). */
async function kafkaClasspath(): Promise<string> {
  const script = join(repoRoot(), 'infra', 'kafka', 'kafka.mjs');
  const file = (await run(process.execPath, [script, 'resolve'], '')).trim();
  return readFileSync(file, 'utf8').trim();
}

function run(command: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} exited with ${code}: ${stderr.trim().slice(-2_000)}`)),
    );
    child.stdin.end(input);
  });
}

/** Records for `javaProduce` that one producer sends with one compression type. */
export interface JavaBatch {
  compression: JavaCompression;
  records: readonly { key: Buffer; value: Buffer }[];
}

/**
 * Sends each batch's records with Kafka's Java producer and the batch's compression, the batches
 * in order (each acknowledged before the next), from one JVM; resolves once all are acknowledged.
 */
export async function javaProduce(
  brokers: string,
  topic: string,
  batches: readonly JavaBatch[],
): Promise<void> {
  const input = batches
    .flatMap(({ compression, records }) =>
      records.map(
        (r) => `${compression} ${r.key.toString('base64')} ${r.value.toString('base64')}\n`,
      ),
    )
    .join('');
  const total = batches.reduce((sum, batch) => sum + batch.records.length, 0);
  const out = await run(
    java,
    ['-Xmx128m', '-cp', await kafkaClasspath(), SOURCE, brokers, topic],
    input,
  );
  if (!out.includes(`sent ${total}`)) throw new Error(`Java producer: ${out}`);
}
