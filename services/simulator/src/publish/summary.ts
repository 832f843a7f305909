// What a run sent: records by event type, fault and expectation, and how fast.
import type { OutRecord } from '../faults/inject.js';

export interface Summary {
  records: number;
  byEventType: Record<string, number>;
  byFault: Record<string, number>;
  byExpect: Record<string, number>;
  durationMs: number;
  recordsPerSecond: number;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export class Tally {
  private readonly started = performance.now();
  private records = 0;
  private readonly byEventType: Record<string, number> = {};
  private readonly byFault: Record<string, number> = {};
  private readonly byExpect: Record<string, number> = {};

  add(record: OutRecord): void {
    this.records++;
    bump(this.byEventType, record.event?.eventType ?? 'undecodable');
    if (record.fault) bump(this.byFault, record.fault);
    bump(this.byExpect, record.expect);
  }

  summary(): Summary {
    const durationMs = performance.now() - this.started;
    return {
      records: this.records,
      byEventType: this.byEventType,
      byFault: this.byFault,
      byExpect: this.byExpect,
      durationMs: Math.round(durationMs),
      recordsPerSecond: Math.round(this.records / Math.max(durationMs / 1000, 1e-3)),
    };
  }
}

/** A few readable lines for the end of a run. */
export function formatSummary(s: Summary): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || 'none';
  return [
    `sent ${s.records} records in ${(s.durationMs / 1000).toFixed(1)} s (${s.recordsPerSecond}/s)`,
    `  by type:   ${list(s.byEventType)}`,
    `  faults:    ${list(s.byFault)}`,
    `  expect:    ${list(s.byExpect)}`,
  ].join('\n');
}
