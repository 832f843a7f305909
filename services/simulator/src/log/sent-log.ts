// The sent log: one JSON line per record actually produced, in send order, so a test can compute
// the expected figures by brute force. Line shape (see README "Sent log"):
//   {"seq":0,"clock":"…Z","key":"RGT","partition":3,"fault":null,"expect":"accept","event":{…}}
// `event` is the contracts' JSON form; records the contract refuses (undecodable bytes, or an event
// breaking one of its rules) carry `bytes` (base64) instead.
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  fromJson,
  parseInstant,
  toJson,
  type ActivityEvent,
  type ContractErrorCode,
} from '@pulse/contracts';
import { SimulatorError } from '../errors.js';
import type { OutRecord } from '../faults/inject.js';
import type { Expectation, FaultKind, RejectCode } from '../faults/kinds.js';

export interface SentLogEntry {
  readonly seq: number;
  /** Simulated time it was sent at (epoch ms): the clock `expect` assumes the consumer has. */
  readonly clock: number;
  readonly key: string;
  /** Partition it was produced to, or null if unknown. */
  readonly partition: number | null;
  readonly fault: FaultKind | null;
  readonly expect: Expectation;
  /** The event, or null for bytes the contract deliberately refuses. */
  readonly event: ActivityEvent | null;
  /** The bytes sent, for records the contract refuses only. */
  readonly bytes: Buffer | null;
}

/** A produced record with its partition, as the publisher reports it. */
export interface ProducedRecord {
  readonly record: OutRecord;
  readonly partition: number | null;
}

export function sentLogLine(seq: number, { record, partition }: ProducedRecord): string {
  const line: Record<string, unknown> = {
    seq,
    clock: new Date(record.clock).toISOString(),
    key: record.key,
    partition,
    fault: record.fault,
    expect: record.expect,
  };
  if (record.event) line['event'] = toJson(record.event);
  else line['bytes'] = record.value.toString('base64');
  return JSON.stringify(line);
}

/** Appends lines to a file, respecting back-pressure. */
export class SentLogWriter {
  private readonly out: WriteStream;
  private seq = 0;

  constructor(file: string) {
    this.out = createWriteStream(file, { flags: 'w' });
  }

  async write(produced: readonly ProducedRecord[]): Promise<void> {
    if (produced.length === 0) return;
    let text = '';
    for (const p of produced) text += sentLogLine(this.seq++, p) + '\n';
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
}

function parseLine(text: string, lineNo: number): SentLogEntry {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const clock = parseInstant(String(raw['clock']));
    if (clock === undefined) throw new Error(`bad clock ${String(raw['clock'])}`);
    return {
      seq: Number(raw['seq']),
      clock,
      key: String(raw['key']),
      partition: typeof raw['partition'] === 'number' ? raw['partition'] : null,
      fault: (raw['fault'] ?? null) as FaultKind | null,
      expect: raw['expect'] as Expectation,
      event: raw['event'] === undefined ? null : fromJson(raw['event']),
      bytes: typeof raw['bytes'] === 'string' ? Buffer.from(raw['bytes'], 'base64') : null,
    };
  } catch (err) {
    throw new SimulatorError('BAD_SENT_LOG', `sent log line ${lineNo}: ${String(err)}`, {
      cause: err,
    });
  }
}

/** Reads a sent log line by line (constant memory). */
export async function* sentLogEntries(file: string): AsyncGenerator<SentLogEntry> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() !== '') yield parseLine(text, lineNo);
  }
}

/** The whole sent log, in send order. */
export async function readSentLog(file: string): Promise<SentLogEntry[]> {
  const entries: SentLogEntry[] = [];
  for await (const entry of sentLogEntries(file)) entries.push(entry);
  return entries;
}

/** The rejection code an entry expects, if any. */
export function rejectCodeOf(entry: Pick<SentLogEntry, 'expect'>): RejectCode | undefined {
  return entry.expect.startsWith('reject:') ? (entry.expect.slice(7) as RejectCode) : undefined;
}

/**
 * The entry in the shape of @pulse/kpi's oracle `SentRecord`: the event (if any), the key, the
 * contract's code for bytes it refuses, and the clock it was sent at.
 */
export function toSentRecord(entry: SentLogEntry): {
  event?: ActivityEvent;
  key: string;
  fault?: ContractErrorCode;
  clock: number;
} {
  const code = rejectCodeOf(entry);
  if (entry.event) return { event: entry.event, key: entry.key, clock: entry.clock };
  // Bytes the contract refuses: the codec's code (undecodable, implausible, an identifier).
  return { key: entry.key, fault: code as ContractErrorCode, clock: entry.clock };
}
