import { describe, expect, it } from 'vitest';
import {
  crc64Avro,
  fingerprintAsSignedLong,
  fingerprintBytes,
  parsingCanonicalForm,
  schemaFingerprint,
} from '../src/index.js';

// Published test vectors: apache/avro, share/test/data/schema-tests.txt (cases 000-033), which the
// Java implementation cross-checks against its direct implementation of the algorithm. Each row:
// input schema, its Parsing Canonical Form, its fingerprint as a Java long.
const SPEC_VECTORS: readonly (readonly [string, string, bigint])[] = [
  ['"null"', '"null"', 7195948357588979594n],
  ['"boolean"', '"boolean"', -6970731678124411036n],
  ['"int"', '"int"', 8247732601305521295n],
  ['"long"', '"long"', -3434872931120570953n],
  ['"float"', '"float"', 5583340709985441680n],
  ['"double"', '"double"', -8181574048448539266n],
  ['"bytes"', '"bytes"', 5746618253357095269n],
  ['"string"', '"string"', -8142146995180207161n],
  ['[ "int"  ]', '["int"]', -5232228896498058493n],
  ['[ "int" , {"type":"boolean"} ]', '["int","boolean"]', 5392556393470105090n],
  [
    '{"fields":[], "type":"record", "name":"foo"}',
    '{"name":"foo","type":"record","fields":[]}',
    -4824392279771201922n,
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    '{"name":"x.y.foo","type":"record","fields":[]}',
    5916914534497305771n,
  ],
  [
    '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    '{"name":"a.b.foo","type":"record","fields":[]}',
    -4616218487480524110n,
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    '{"name":"foo","type":"record","fields":[]}',
    -4824392279771201922n,
  ],
  [
    '{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}',
    7843277075252814651n,
  ],
  [
    '{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":true},' +
      '{"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo"}',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    -4860222112080293046n,
  ],
  [
    '{"type":"enum", "name":"foo", "symbols":["A1"]}',
    '{"name":"foo","type":"enum","symbols":["A1"]}',
    -6342190197741309591n,
  ],
  [
    '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    -4448647247586288245n,
  ],
  [
    '{"name":"foo","type":"fixed","size":15}',
    '{"name":"foo","type":"fixed","size":15}',
    1756455273707447556n,
  ],
  [
    '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
    '{"name":"x.y.z.foo","type":"fixed","size":32}',
    -3064184465700546786n,
  ],
  [
    '{ "items":{"type":"null"}, "type":"array"}',
    '{"type":"array","items":"null"}',
    -589620603366471059n,
  ],
  ['{ "values":"string", "type":"map"}', '{"type":"map","values":"string"}', -8732877298790414990n],
  [
    '{"name":"PigValue","type":"record","fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    -1759257747318642341n,
  ],
];

describe('schema fingerprints', () => {
  it.each(SPEC_VECTORS)(
    'parsingCanonicalForm should match the Avro spec vector for %s',
    (input, canonical) => {
      expect(parsingCanonicalForm(input)).toBe(canonical);
    },
  );

  it.each(SPEC_VECTORS)(
    'schemaFingerprint should match the Avro spec vector for %s',
    (input, _c, fp) => {
      expect(fingerprintAsSignedLong(schemaFingerprint(input))).toBe(fp);
    },
  );

  it('crc64Avro should return the empty fingerprint for no bytes', () => {
    // The spec's EMPTY constant: the fingerprint of the empty string.
    expect(crc64Avro(new Uint8Array())).toBe(0xc15d213aa4d7a795n);
  });

  it('fingerprintBytes should write the fingerprint little-endian', () => {
    expect(fingerprintBytes(0x0102030405060708n)).toEqual(Buffer.from([8, 7, 6, 5, 4, 3, 2, 1]));
  });
});
