// The Avro single-object codec: C3 01, the writer schema's CRC-64-AVRO fingerprint (8 bytes,
// little-endian), then the Avro binary body. Readers find the writer schema by fingerprint among
// every published version and resolve it into the current (reader) schema.
import avro from 'avsc';
import { shapeOf } from './describe.js';
import { ContractError } from './errors.js';
import { EVENT_TYPES, type ActivityEvent, type EventType } from './events.js';
import { fingerprintBytes, fingerprintHex, schemaFingerprint } from './fingerprint.js';
import { payloadRecordName } from './rules.js';
import { loadSchemaCatalogue, type SchemaVersion } from './schemas.js';
import { validateEvent } from './validate.js';

const MARKER_0 = 0xc3;
const MARKER_1 = 0x01;
const HEADER_LENGTH = 10;

export interface CodecOptions {
  /** Schema events are written with and resolved into. Default: the catalogue's current version. */
  reader?: SchemaVersion;
  /** Writer schemas decode accepts. Default: every published version (plus the reader). */
  writers?: readonly SchemaVersion[];
  /** Check field rules on encode and decode. Default: true, so bad events neither leave nor land. */
  validate?: boolean;
  /** Initial size of the reused encode buffer, grown on demand. Default: 4 KiB (events are ~150 B). */
  initialBufferSize?: number;
}

export interface Codec {
  /** Single-object encoding of one event, written with the reader schema. */
  encode(event: ActivityEvent): Buffer;
  /** The event in some single-object-encoded bytes; throws ContractError. */
  decode(bytes: Uint8Array): ActivityEvent;
  /** Version and fingerprint (16 hex digits) of the schema encode writes with. */
  readonly writerVersion: number;
  readonly writerFingerprint: string;
}

type Resolver = ReturnType<avro.Type['createResolver']>;

interface Writer {
  readonly version: number;
  /** The fingerprint's two little-endian 32-bit halves, compared without allocating. */
  readonly low: number;
  readonly high: number;
  /** Undefined when the writer is the reader itself: no resolution needed. */
  readonly resolver: Resolver | undefined;
}

const parse = (schema: unknown): avro.Type =>
  // Records come back without avsc's convenience methods: decoded events are plain data.
  avro.Type.forSchema(schema as avro.Schema, { omitRecordMethods: true });

function writerOf(version: SchemaVersion, reader: avro.Type, readerFp: bigint): Writer {
  const fp = schemaFingerprint(version.schema);
  const bytes = fingerprintBytes(fp);
  const resolver = fp === readerFp ? undefined : reader.createResolver(parse(version.schema));
  return {
    version: version.version,
    low: bytes.readUInt32LE(0),
    high: bytes.readUInt32LE(4),
    resolver,
  };
}

interface PayloadUnion {
  types: avro.Type[];
}

/** A codec over the published schemas; create one per process and reuse it. */
export function createCodec(options: CodecOptions = {}): Codec {
  const catalogue = options.reader && options.writers ? undefined : loadSchemaCatalogue();
  const readerVersion = options.reader ?? catalogue!.current;
  const validate = options.validate ?? true;

  const readerType = parse(readerVersion.schema) as avro.types.RecordType;
  const readerFp = schemaFingerprint(readerVersion.schema);
  const writerList = [readerVersion, ...(options.writers ?? catalogue!.versions)];
  // Reader first: the common case is one comparison. Duplicates of the reader are dropped.
  const writers = writerList
    .map((v) => writerOf(v, readerType, readerFp))
    .filter((w, i, all) => all.findIndex((o) => o.low === w.low && o.high === w.high) === i);

  // Encoding writes the envelope with a record type holding every field but payload, then the
  // union branch index and the payload record: byte for byte what the full type would write,
  // without wrapping the payload into avsc's { 'uk.nhs.icspulse.EdArrival': {...} } form.
  const readerSchema = readerVersion.schema as { fields: { name: string }[] };
  const headType = parse({
    ...readerSchema,
    fields: readerSchema.fields.filter((f) => f.name !== 'payload'),
  });
  const union = payloadUnion(readerType);
  const namespace = readerType.name!.slice(0, readerType.name!.lastIndexOf('.') + 1);
  const branchIndex = new Map<EventType, number>();
  const branchName = new Map<EventType, string>();
  for (const type of EVENT_TYPES) {
    const name = namespace + payloadRecordName(type);
    const index = union.types.findIndex((t) => t.name === name);
    if (index < 0) throw new Error(`Reader schema has no payload record ${name}`);
    branchIndex.set(type, index);
    branchName.set(type, name);
  }

  const header = Buffer.concat([Buffer.from([MARKER_0, MARKER_1]), fingerprintBytes(readerFp)]);
  let scratch = Buffer.alloc(Math.max(options.initialBufferSize ?? 4096, 64));
  header.copy(scratch);

  /** Body end offset, or a negative number when the scratch buffer is too small. */
  function write(event: ActivityEvent): number {
    const index = branchIndex.get(event.eventType);
    if (index === undefined) throw new Error(`unknown eventType ${String(event.eventType)}`);
    let pos = headType.encode(event, scratch, HEADER_LENGTH);
    if (pos < 0 || pos + 10 > scratch.length) return -1;
    pos = writeLong(scratch, pos, index);
    return union.types[index]!.encode(event.payload, scratch, pos);
  }

  function encode(event: ActivityEvent): Buffer {
    if (validate) validateEvent(event);
    let end: number;
    try {
      while ((end = write(event)) < 0) {
        scratch = Buffer.alloc(scratch.length * 2);
        header.copy(scratch);
      }
    } catch (err) {
      // avsc's message quotes the value that did not fit: keep it as the cause only.
      throw new ContractError(
        'INVALID_FIELD',
        'cannot write the event: a field does not fit its Avro type',
        {
          cause: err,
        },
      );
    }
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  }

  function decode(input: Uint8Array): ActivityEvent {
    const bytes = Buffer.isBuffer(input)
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (bytes.length < 2 || bytes[0] !== MARKER_0 || bytes[1] !== MARKER_1) {
      // The detail says what the bytes are, never what they hold (a value may be anything).
      const json = bytes[0] === 0x7b || bytes[0] === 0x5b ? ', starting like JSON' : '';
      throw new ContractError(
        'BAD_MARKER',
        `expected C3 01 at the start of ${shapeOf(bytes)}${json}`,
      );
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new ContractError('CORRUPT_BODY', `truncated header: ${bytes.length} of 10 bytes`);
    }
    const low = bytes.readUInt32LE(2);
    const high = bytes.readUInt32LE(6);
    let writer: Writer | undefined;
    for (const w of writers) {
      if (w.low === low && w.high === high) {
        writer = w;
        break;
      }
    }
    if (!writer) {
      const fp = fingerprintHex(bytes.readBigUInt64LE(2));
      throw new ContractError('UNKNOWN_FINGERPRINT', `no published schema has fingerprint ${fp}`);
    }
    let result: { value: unknown; offset: number };
    try {
      result = readerType.decode(bytes, HEADER_LENGTH, writer.resolver);
    } catch (err) {
      // avsc's message may quote what it read: keep it as the cause only.
      const detail = `invalid Avro body of ${bytes.length - HEADER_LENGTH} bytes for the writer schema`;
      throw new ContractError('CORRUPT_BODY', detail, { cause: err });
    }
    if (result.offset < 0) throw new ContractError('CORRUPT_BODY', 'truncated body');
    if (result.offset !== bytes.length) {
      const trailing = bytes.length - result.offset;
      throw new ContractError('CORRUPT_BODY', `${trailing} trailing bytes after the body`);
    }
    const event = result.value as { eventType: EventType; payload: Record<string, unknown> };
    const wrapped = event.payload;
    const payload = wrapped[branchName.get(event.eventType)!];
    if (payload === undefined) {
      // Names from the published schemas only: a record name and an enum symbol.
      const detail = `is a ${Object.keys(wrapped)[0]} record but eventType is ${event.eventType}`;
      throw new ContractError('INVALID_FIELD', detail, { path: 'payload' });
    }
    event.payload = payload as Record<string, unknown>;
    if (validate) validateEvent(event);
    return event as unknown as ActivityEvent;
  }

  return {
    encode,
    decode,
    writerVersion: readerVersion.version,
    writerFingerprint: fingerprintHex(readerFp),
  };
}

function payloadUnion(readerType: avro.types.RecordType): PayloadUnion {
  const union = readerType.field('payload')?.type as unknown as PayloadUnion | undefined;
  if (!union || !Array.isArray(union.types)) throw new Error('Reader schema has no payload union');
  return union;
}

/** Avro's zig-zag varint, for the union branch index. */
function writeLong(buf: Buffer, pos: number, n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z > 0x7f) {
    buf[pos++] = (z & 0x7f) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[pos++] = z;
  return pos;
}
