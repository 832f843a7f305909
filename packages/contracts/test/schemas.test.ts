import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ADMISSION_METHODS,
  AGE_BANDS,
  ARRIVAL_MODES,
  BED_TYPES,
  DISCHARGE_DESTINATIONS,
  DISPOSALS,
  EVENT_TYPES,
  SCHEMA_DIR,
  loadSchemaCatalogue,
  payloadRecordName,
} from '../src/index.js';
import { ENVELOPE_RULES, PAYLOAD_RULES, type FieldRule } from '../src/rules.js';
import { findNamed, payloadRecords, type AvroField, type AvroRecord } from './support/schema.js';

const catalogue = loadSchemaCatalogue();
const root = catalogue.current.schema as unknown as AvroRecord;

function expectFieldsMirrorRules(fields: AvroField[], rules: Record<string, FieldRule>): void {
  expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(rules).sort());
  for (const field of fields) {
    const rule = rules[field.name]!;
    expect(field.doc, `${field.name} doc`).toBeTruthy();
    const types = Array.isArray(field.type) ? field.type : [field.type];
    expect(types.includes('null'), `${field.name} nullable`).toBe(rule.nullable);
    if (rule.nullable) {
      expect(types[0]).toBe('null');
      expect(field).toHaveProperty('default', null);
    }
    const isInstant = types.some(
      (t) =>
        typeof t === 'object' && (t as { logicalType?: string }).logicalType === 'timestamp-millis',
    );
    expect(isInstant, `${field.name} timestamp-millis`).toBe(rule.instant);
  }
}

describe('published schemas', () => {
  it('loadSchemaCatalogue should list v1 as current with its pinned fingerprint', () => {
    expect(catalogue.name).toBe('uk.nhs.icspulse.ActivityEvent');
    expect(catalogue.versions.map((v) => v.version)).toContain(1);
    expect(catalogue.current.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('loadSchemaCatalogue should refuse a published schema whose canonical form changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-schemas-'));
    try {
      cpSync(SCHEMA_DIR, dir, { recursive: true });
      const file = join(dir, 'v1.avsc');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('"AGE_85_PLUS",', '"AGE_85_PLUS", "AGE_90_PLUS",'),
      );
      expect(() => loadSchemaCatalogue(pathToFileURL(`${dir}/`))).toThrow(/must not change/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('schema should mirror the envelope of events.ts field for field', () => {
    expect(root.fields.map((f) => f.name).at(-1)).toBe('payload');
    expectFieldsMirrorRules(
      root.fields.filter((f) => f.name !== 'payload'),
      ENVELOPE_RULES,
    );
  });

  it.each(EVENT_TYPES)(
    'schema should mirror the %s payload of events.ts field for field',
    (type) => {
      const record = payloadRecords(root).get(payloadRecordName(type));
      expect(record, payloadRecordName(type)).toBeDefined();
      expect(record!.doc).toMatch(new RegExp(`^${type}:`));
      expectFieldsMirrorRules(record!.fields, PAYLOAD_RULES[type] as Record<string, FieldRule>);
    },
  );

  it('schema should hold one payload record per event type, in EVENT_TYPES order', () => {
    expect([...payloadRecords(root).keys()]).toEqual(EVENT_TYPES.map(payloadRecordName));
  });

  it.each([
    ['EventType', EVENT_TYPES, undefined],
    ['AgeBand', AGE_BANDS, 'UNKNOWN'],
    ['ArrivalMode', ARRIVAL_MODES, 'OTHER'],
    ['Disposal', DISPOSALS, undefined],
    ['AdmissionMethod', ADMISSION_METHODS, 'OTHER'],
    ['BedType', BED_TYPES, 'OTHER'],
    ['DischargeDestination', DISCHARGE_DESTINATIONS, 'OTHER'],
  ] as const)(
    'enum %s should carry the symbols of events.ts and its default',
    (name, symbols, fallback) => {
      const avroEnum = findNamed(root, name);
      expect(avroEnum?.['symbols']).toEqual([...symbols]);
      expect(avroEnum?.['default']).toBe(fallback);
    },
  );
});
