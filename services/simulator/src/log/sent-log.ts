// The sent log: one JSON line per record actually produced, in send order, so a test can compute
// the expected figures by brute force (@pulse/verify reads it back). Line shape (see README
// "Sent log"):
//   {"seq":0,"clock":"…Z","key":"RGT","partition":3,"fault":null,"expect":"accept","event":{…}}
// `event` is the contracts' JSON form; records the contract refuses (undecodable bytes, or an event
// breaking one of its rules) carry `bytes` (base64) instead.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { toJson } from '@pulse/contracts';
import type { OutRecord } from '../faults/inject.js';

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
