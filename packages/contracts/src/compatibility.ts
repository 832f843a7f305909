// Schema compatibility, as a reader would meet it: avsc refuses to build a resolver when a
// writer's data cannot be read into the reader (a field added without default, an enum symbol
// dropped without default, a union branch the reader lacks, a renamed record).
import avro from 'avsc';
import type { SchemaVersion } from './schemas.js';

/** Why `reader` cannot read data written with `writer`, or undefined when it can. */
export function readProblem(reader: SchemaVersion, writer: SchemaVersion): string | undefined {
  try {
    const parse = (s: SchemaVersion) => avro.Type.forSchema(s.schema as avro.Schema);
    parse(reader).createResolver(parse(writer));
    return undefined;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return `v${reader.version} cannot read v${writer.version}: ${why}`;
  }
}

/**
 * Every broken promise of a new current version: it must read every published version
 * (backward), and every published reader must read it (forward), so producers and consumers
 * can upgrade in either order.
 */
export function compatibilityProblems(
  published: readonly SchemaVersion[],
  current: SchemaVersion,
): string[] {
  const problems: string[] = [];
  for (const version of published) {
    if (version === current) continue;
    const backward = readProblem(current, version);
    const forward = readProblem(version, current);
    if (backward) problems.push(backward);
    if (forward) problems.push(forward);
  }
  return problems;
}
