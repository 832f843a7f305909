// Apache Avro (Java) reading our bytes with only the .avsc files: the Maven project in interop/
// (AvroInterop), driven from Node so any test can check that bytes it holds (for example the
// bytes read back from a topic) decode in another Avro implementation as they do in ours.
//
// Imported as `@pulse/contracts/java-avro`, never from the package index: it runs processes and
// the codec path must not load it. The tool is built once per machine, into a cache folder named
// by the hash of pom.xml and the Java source (Maven fetches the jars, javac compiles), so every
// checkout and test run with the same inputs reuses it and a change to either builds anew. Both
// steps write elsewhere first and rename, so concurrent test runs never see half a build.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_DIR } from '../schemas.js';

const INTEROP = fileURLToPath(new URL('../../interop/', import.meta.url));
const PACKAGE_DIR = join('uk', 'nhs', 'icspulse', 'interop');
const SOURCE = join(INTEROP, 'src', 'main', 'java', PACKAGE_DIR, 'AvroInterop.java');
const TARGET = targetDir();
const CLASSES = join(TARGET, 'classes');
const DEPENDENCIES = join(TARGET, 'dependency');
const CLASSPATH = `${CLASSES}:${DEPENDENCIES}/*`;
const MAIN = 'uk.nhs.icspulse.interop.AvroInterop';

/** One message as Java decoded it: its record as JSON, or the exception it threw. */
export type JavaDecoded = { json: unknown } | { error: string };

/** One published schema file as Java fingerprints it (SchemaNormalization.parsingFingerprint64). */
export interface JavaFingerprint {
  file: string;
  /** CRC-64-AVRO as 16 hex digits. */
  hex: string;
}

let missingTools: string | undefined | null = null;

/**
 * What stops the Java tool from running here (`java`, `javac` or `mvn` missing), or undefined.
 * Asked once per process: each answer starts three JVMs.
 */
export function javaAvroMissing(): string | undefined {
  if (missingTools !== null) return missingTools;
  const missing = ['java', 'javac', 'mvn'].filter(
    (tool) => spawnSync(tool, ['-version'], { stdio: 'ignore' }).status !== 0,
  );
  missingTools =
    missing.length === 0
      ? undefined
      : `${missing.join(', ')} not found (needs a JDK 17+ and Maven, e.g. apt-get install openjdk-17-jdk-headless maven)`;
  return missingTools;
}

/**
 * The build's folder: $XDG_CACHE_HOME (else ~/.cache)/ics-pulse/java-avro/<hash of pom.xml and
 * AvroInterop.java>.
 */
function targetDir(): string {
  const hash = createHash('sha256');
  for (const file of [join(INTEROP, 'pom.xml'), SOURCE]) hash.update(readFileSync(file));
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'ics-pulse', 'java-avro', hash.digest('hex').slice(0, 16));
}

function run(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: INTEROP, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`)),
    );
    child.stdin.end(input ?? '');
  });
}

/** Moves `from` to `to` unless `to` exists already (another run built it first). */
function publish(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if (!existsSync(to)) throw err;
  } finally {
    rmSync(from, { recursive: true, force: true });
  }
}

let built: Promise<void> | undefined;

/**
 * Builds the tool into its cache folder unless it is there already; once per process.
 * Rejects naming what is missing when Java or Maven is absent.
 */
export function buildJavaAvro(): Promise<void> {
  return (built ??= (async () => {
    const missing = javaAvroMissing();
    if (missing) throw new Error(`Java Avro interop cannot run: ${missing}`);
    mkdirSync(TARGET, { recursive: true });
    const scratch = join(TARGET, `tmp-${randomBytes(4).toString('hex')}`);
    if (!existsSync(DEPENDENCIES)) {
      const jars = `${scratch}-dependency`;
      await run('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${jars}`]);
      publish(jars, DEPENDENCIES);
    }
    if (!existsSync(CLASSES)) {
      const classes = `${scratch}-classes`;
      await run('javac', ['-d', classes, '-cp', CLASSPATH, SOURCE]);
      publish(classes, CLASSES);
    }
  })());
}

async function interop(command: 'fingerprints' | 'decode', input?: string): Promise<string[]> {
  await buildJavaAvro();
  const out = await run(
    'java',
    ['-cp', CLASSPATH, MAIN, command, fileURLToPath(SCHEMA_DIR)],
    input,
  );
  return out.split('\n').filter((line) => line !== '');
}

/** Every published schema file with the fingerprint Java computes for it, in index.json order. */
export async function javaFingerprints(): Promise<JavaFingerprint[]> {
  return (await interop('fingerprints')).map((line) => {
    const [file = '', hex = ''] = line.split('\t');
    return { file, hex };
  });
}

/**
 * Decodes single-object encoded messages with Java's BinaryMessageDecoder and the .avsc files
 * alone (the writer schema found by fingerprint, resolved into the current one). One result per
 * message, in order; instants are epoch milliseconds, as in `ActivityEvent`.
 */
export async function javaDecode(messages: readonly Uint8Array[]): Promise<JavaDecoded[]> {
  if (messages.length === 0) return [];
  const input = messages.map((bytes) => Buffer.from(bytes).toString('hex')).join('\n');
  const lines = await interop('decode', `${input}\n`);
  if (lines.length !== messages.length)
    throw new Error(`Java decoded ${lines.length} lines for ${messages.length} messages`);
  return lines.map((line) =>
    line.startsWith('ERROR ') ? { error: line.slice(6) } : { json: JSON.parse(line) as unknown },
  );
}
