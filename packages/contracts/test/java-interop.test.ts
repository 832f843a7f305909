// Another Avro implementation reads our bytes with only the .avsc files: Apache Avro (Java)
// 1.12's BinaryMessageDecoder and SchemaStore, in interop/. Maven fetches the jars once; javac
// recompiles only when the source is newer than the class. Skipped where Java or Maven is absent.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EXAMPLE_EVENTS,
  SCHEMA_DIR,
  createCodec,
  loadSchemaCatalogue,
} from '../src/index.js';

const INTEROP = fileURLToPath(new URL('../interop/', import.meta.url));
const SOURCE = `${INTEROP}src/main/java/uk/nhs/icspulse/interop/AvroInterop.java`;
const CLASS = `${INTEROP}target/classes/uk/nhs/icspulse/interop/AvroInterop.class`;
const CLASSPATH = `${INTEROP}target/classes:${INTEROP}target/dependency/*`;
const schemaDir = fileURLToPath(SCHEMA_DIR);

const hasTool = (tool: string): boolean => spawnSync(tool, ['-version']).status === 0;
const javaReady = hasTool('java') && hasTool('javac') && hasTool('mvn');

function buildInterop(): void {
  if (!existsSync(`${INTEROP}target/dependency`)) {
    execFileSync('mvn', ['-q', '-B', 'dependency:copy-dependencies'], { cwd: INTEROP });
  }
  if (!existsSync(CLASS) || statSync(CLASS).mtimeMs < statSync(SOURCE).mtimeMs) {
    execFileSync('javac', ['-d', `${INTEROP}target/classes`, '-cp', CLASSPATH, SOURCE]);
  }
}

function interop(command: 'fingerprints' | 'decode', input = ''): string[] {
  const args = ['-cp', CLASSPATH, 'uk.nhs.icspulse.interop.AvroInterop', command, schemaDir];
  const out = execFileSync('java', args, { input, encoding: 'utf8' });
  return out.trim().split('\n');
}

describe.skipIf(!javaReady)('Java Avro interop', () => {
  beforeAll(buildInterop, 300_000);

  it('Java SchemaNormalization should give every published schema its pinned fingerprint', () => {
    const lines = interop('fingerprints').map((line) => line.split('\t'));
    const pinned = loadSchemaCatalogue().versions.map((v) => [v.file, v.fingerprint]);
    expect(lines.map(([file, hex]) => [file, hex])).toEqual(pinned);
  });

  it('Java BinaryMessageDecoder should decode every event type encoded here', () => {
    const codec = createCodec();
    const input = EVENT_TYPES.map((t) => codec.encode(EXAMPLE_EVENTS[t]).toString('hex')).join(
      '\n',
    );
    const decoded = interop('decode', input).map((line) => JSON.parse(line) as unknown);
    expect(decoded).toEqual(EVENT_TYPES.map((t) => EXAMPLE_EVENTS[t]));
  });

  it('Java BinaryMessageDecoder should refuse bytes whose fingerprint is unknown', () => {
    const bytes = Buffer.from(createCodec().encode(EXAMPLE_EVENTS.BED_STATE));
    bytes.writeBigUInt64LE(42n, 2);
    expect(interop('decode', bytes.toString('hex'))[0]).toMatch(/^ERROR MissingSchemaException/);
  });
});
