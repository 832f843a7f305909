// Another Avro implementation reads our bytes with only the .avsc files: Apache Avro (Java)
// 1.12's BinaryMessageDecoder and SchemaStore, in interop/, through `@pulse/contracts/java-avro`
// (built once per machine into a cache folder keyed on the hash of its sources). Under CI
// (process.env.CI set; .ci/run installs the JDK and Maven) a missing java, javac or mvn fails
// these tests; on a developer machine without them they are skipped, and the suite's name says
// what is missing.
import { describe, expect, it } from 'vitest';
import {
  buildJavaAvro,
  javaAvroMissing,
  javaDecode,
  javaFingerprints,
} from '../src/interop/java-avro.js';
import { EVENT_TYPES, EXAMPLE_EVENTS, createCodec, loadSchemaCatalogue } from '../src/index.js';

const missing = javaAvroMissing();
const skip = missing !== undefined && !process.env.CI;

describe.skipIf(skip)(`Java Avro interop${skip ? ` (skipped: ${missing})` : ''}`, () => {
  it('Java Avro interop should be built from interop/ with Maven and javac, or reused for the same sources', async () => {
    await buildJavaAvro();
  }, 300_000);

  it('Java SchemaNormalization should give every published schema its pinned fingerprint', async () => {
    const pinned = loadSchemaCatalogue().versions.map((v) => ({
      file: v.file,
      hex: v.fingerprint,
    }));
    expect(await javaFingerprints()).toEqual(pinned);
  });

  it('Java BinaryMessageDecoder should decode every event type encoded here', async () => {
    const codec = createCodec();
    const decoded = await javaDecode(EVENT_TYPES.map((t) => codec.encode(EXAMPLE_EVENTS[t])));
    expect(decoded).toEqual(EVENT_TYPES.map((t) => ({ json: EXAMPLE_EVENTS[t] })));
  });

  it('Java BinaryMessageDecoder should refuse bytes whose fingerprint is unknown', async () => {
    const bytes = Buffer.from(createCodec().encode(EXAMPLE_EVENTS.BED_STATE));
    bytes.writeBigUInt64LE(42n, 2);
    const [decoded] = await javaDecode([bytes]);
    expect(decoded).toEqual({ error: expect.stringMatching(/^MissingSchemaException/) as string });
  });
});
