// Schema fingerprints as the Avro specification defines them ("Schema Fingerprints"): the
// 64-bit Rabin fingerprint CRC-64-AVRO of the schema's Parsing Canonical Form (UTF-8).
// Computed once per schema when a codec is created, so BigInt arithmetic is fine here.
import avro from 'avsc';

/** The spec's EMPTY: the fingerprint of zero bytes, and the polynomial. */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK64 = 0xffffffffffffffffn;

let table: BigUint64Array | undefined;

function fingerprintTable(): BigUint64Array {
  if (table) return table;
  table = new BigUint64Array(256);
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n) & MASK64);
    table[i] = fp;
  }
  return table;
}

/** CRC-64-AVRO of some bytes, as an unsigned 64-bit value. */
export function crc64Avro(bytes: Uint8Array): bigint {
  const t = fingerprintTable();
  let fp = EMPTY;
  for (const byte of bytes) fp = (fp >> 8n) ^ t[Number((fp ^ BigInt(byte)) & 0xffn)]!;
  return fp;
}

/** Parsing Canonical Form of a schema (JSON text or parsed JSON), via avsc's canonical schema. */
export function parsingCanonicalForm(schema: unknown): string {
  const parsed: unknown = typeof schema === 'string' ? JSON.parse(schema) : schema;
  return JSON.stringify(avro.Type.forSchema(parsed as avro.Schema).schema());
}

/** The schema's fingerprint as an unsigned 64-bit value. */
export function schemaFingerprint(schema: unknown): bigint {
  return crc64Avro(Buffer.from(parsingCanonicalForm(schema), 'utf8'));
}

/** The fingerprint as it follows C3 01 on the wire: 8 bytes, little-endian. */
export function fingerprintBytes(fingerprint: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(fingerprint);
  return bytes;
}

/** 16 hex digits of the unsigned value, the form the schema manifest records. */
export function fingerprintHex(fingerprint: bigint): string {
  return fingerprint.toString(16).padStart(16, '0');
}

/** Java's `long` view of the fingerprint (SchemaNormalization.parsingFingerprint64). */
export function fingerprintAsSignedLong(fingerprint: bigint): bigint {
  return BigInt.asIntN(64, fingerprint);
}
