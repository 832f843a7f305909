// Helpers for tests that edit a copy of a schema: fixtures, never published.
import type { SchemaVersion } from '../../src/index.js';

export interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
  doc?: string;
}

export interface AvroRecord {
  type: 'record';
  name: string;
  fields: AvroField[];
  doc?: string;
}

/** A deep copy of a schema version, edited by `edit`, as a new version number. */
export function deriveVersion(
  from: SchemaVersion,
  version: number,
  edit: (root: AvroRecord) => void,
): SchemaVersion {
  const schema = structuredClone(from.schema) as unknown as AvroRecord;
  edit(schema);
  return { version, schema: schema as unknown as Record<string, unknown> };
}

/** The payload records of a top-level schema, by short name. */
export function payloadRecords(root: AvroRecord): Map<string, AvroRecord> {
  const payload = root.fields.find((f) => f.name === 'payload');
  return new Map((payload?.type as AvroRecord[]).map((r) => [r.name, r]));
}

/** A named type (enum or record) defined anywhere in the schema. */
export function findNamed(node: unknown, name: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findNamed(item, name);
      if (found) return found;
    }
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (
      record['name'] === name &&
      typeof record['type'] === 'string' &&
      record['type'] !== 'string'
    ) {
      if (['enum', 'record', 'fixed'].includes(record['type'])) return record;
    }
    for (const value of Object.values(record)) {
      const found = findNamed(value, name);
      if (found) return found;
    }
  }
  return undefined;
}
