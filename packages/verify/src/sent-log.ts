// Reads the simulator's sent log (JSON lines, one per record produced, in send order; the writer
// and the line shape are services/simulator's src/log/sent-log.ts and its README "Sent log") so a
// test can compute the expected figures by brute force. Records the contract refuses (undecodable
// bytes, or an event breaking one of its rules) carry their bytes instead of an event.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fromJson, parseInstant, type ActivityEvent } from '@pulse/contracts';
import type { RejectionCode } from '@pulse/kpi';
import { VerifyError } from './errors.js';
import type { RecordFault, SentRecord } from './oracle.js';

/** What the aggregator must do with a record: count it, count it as a duplicate, or reject it. */
export type Expectation = 'accept' | 'duplicate' | `reject:${RejectionCode}`;

export interface SentLogEntry {
  readonly seq: number;
  /** Simulated time it was sent at (epoch ms): the clock `expect` assumes the consumer has. */
  readonly clock: number;
  readonly key: string;
  /** Partition it was produced to, or null if unknown. */
  readonly partition: number | null;
  /** The simulator's fault kind (duplicate, late, corrupt, ...), or null. */
  readonly fault: string | null;
  readonly expect: Expectation;
  /** The event, or null for bytes the contract deliberately refuses. */
  readonly event: ActivityEvent | null;
  /** The bytes sent, for records the contract refuses only. */
  readonly bytes: Buffer | null;
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
      fault: typeof raw['fault'] === 'string' ? raw['fault'] : null,
      expect: raw['expect'] as Expectation,
      event: raw['event'] === undefined ? null : fromJson(raw['event']),
      bytes: typeof raw['bytes'] === 'string' ? Buffer.from(raw['bytes'], 'base64') : null,
    };
  } catch (err) {
    throw new VerifyError('BAD_SENT_LOG', `sent log line ${lineNo}: ${String(err)}`, {
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
export function rejectCodeOf(entry: Pick<SentLogEntry, 'expect'>): RejectionCode | undefined {
  return entry.expect.startsWith('reject:') ? (entry.expect.slice(7) as RejectionCode) : undefined;
}

/**
 * The entry as the oracle's `SentRecord`: the event (if any), the key, the contract's code for
 * bytes it refuses, and the clock it was sent at.
 */
export function toSentRecord(entry: SentLogEntry): SentRecord {
  if (entry.event) return { event: entry.event, key: entry.key, clock: entry.clock };
  // Bytes the contract refuses: the codec's code (undecodable, implausible, an identifier).
  return { key: entry.key, fault: rejectCodeOf(entry) as RecordFault, clock: entry.clock };
}
