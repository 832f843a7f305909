import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EXAMPLE_EVENTS,
  compatibilityProblems,
  createCodec,
  loadSchemaCatalogue,
  type ActivityEvent,
  type SchemaVersion,
} from '../src/index.js';
import { deriveVersion, findNamed, payloadRecords, type AvroRecord } from './support/schema.js';

const catalogue = loadSchemaCatalogue();
const v1 = catalogue.current;

/** A would-be next version: optional fields added to the envelope and to EdArrival. */
const withOptionalFields = deriveVersion(v1, 99, (root) => {
  root.fields.splice(root.fields.length - 1, 0, {
    name: 'sourceSystem',
    type: ['null', 'string'],
    default: null,
    doc: 'Fixture: the EPR product that emitted the event.',
  });
  payloadRecords(root)
    .get('EdArrival')!
    .fields.push({
      name: 'triageSystem',
      type: ['null', 'string'],
      default: null,
      doc: 'Fixture.',
    });
});

const oldReader = createCodec({ reader: v1, writers: [v1, withOptionalFields] });
const newReader = createCodec({ reader: withOptionalFields, writers: [v1, withOptionalFields] });

describe('schema evolution', () => {
  it('an older reader should read events written with an added optional field, ignoring it', () => {
    const event = {
      ...EXAMPLE_EVENTS.ED_ARRIVAL,
      sourceSystem: 'EPR-X',
      payload: { ...EXAMPLE_EVENTS.ED_ARRIVAL.payload, triageSystem: 'MTS' },
    } as ActivityEvent;
    const bytes = newReader.encode(event);
    expect(bytes.readBigUInt64LE(2).toString(16).padStart(16, '0')).toBe(
      newReader.writerFingerprint,
    );
    expect(oldReader.decode(bytes)).toEqual(EXAMPLE_EVENTS.ED_ARRIVAL);
  });

  it('a newer reader should read events without the added field, filling its default', () => {
    const decoded = newReader.decode(oldReader.encode(EXAMPLE_EVENTS.ED_ARRIVAL));
    expect(decoded).toEqual({
      ...EXAMPLE_EVENTS.ED_ARRIVAL,
      sourceSystem: null,
      payload: { ...EXAMPLE_EVENTS.ED_ARRIVAL.payload, triageSystem: null },
    });
  });

  it.each(EVENT_TYPES)('resolution should map a %s payload to its own record', (type) => {
    const decoded = oldReader.decode(newReader.encode(EXAMPLE_EVENTS[type]));
    expect(decoded).toEqual(EXAMPLE_EVENTS[type]);
  });

  it('a reader should report UNKNOWN_FINGERPRINT for a writer it was not given', () => {
    const v1Only = createCodec({ reader: v1, writers: [v1] });
    expect(() => v1Only.decode(newReader.encode(EXAMPLE_EVENTS.BED_STATE))).toThrow(
      /UNKNOWN_FINGERPRINT/,
    );
  });
});

const breaking: readonly (readonly [string, SchemaVersion])[] = [
  [
    'a required field added without a default',
    deriveVersion(v1, 2, (root) => {
      root.fields.splice(1, 0, { name: 'tenant', type: 'string' });
    }),
  ],
  [
    'an enum symbol removed from an enum without a default',
    deriveVersion(v1, 2, (root) => {
      const disposal = findNamed(root, 'Disposal')!;
      disposal['symbols'] = (disposal['symbols'] as string[]).filter((s) => s !== 'DIED');
    }),
  ],
  [
    'a new event type (union branch) old readers do not know',
    deriveVersion(v1, 2, (root) => {
      (findNamed(root, 'EventType')!['symbols'] as string[]).push('DEATH');
      const payload = root.fields.find((f) => f.name === 'payload')!;
      (payload.type as AvroRecord[]).push({ type: 'record', name: 'Death', fields: [] });
    }),
  ],
  [
    'a field renamed without an alias',
    deriveVersion(v1, 2, (root) => {
      root.fields.find((f) => f.name === 'providerOds')!.name = 'providerCode';
    }),
  ],
  [
    'a field type narrowed from long to int',
    deriveVersion(v1, 2, (root) => {
      root.fields.find((f) => f.name === 'occurredAt')!.type = 'int';
    }),
  ],
];

describe('compatibility check', () => {
  it('every published version should be readable by the current reader and the reverse', () => {
    expect(compatibilityProblems(catalogue.versions, catalogue.current)).toEqual([]);
  });

  it('a next version adding optional fields should pass the check', () => {
    expect(compatibilityProblems([...catalogue.versions], withOptionalFields)).toEqual([]);
  });

  it.each(breaking)('the check should fail for %s', (_what, next) => {
    const problems = compatibilityProblems([...catalogue.versions, next], next);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^v\d+ cannot read v\d+: /);
  });
});
