// The response schemas accept the public tier's controlled form (@pulse/disclosure) as well as the
// exact one, so routes need only call the controls.
import { controlSeries, controlSnapshot, type NullableSplit } from '@pulse/disclosure';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_EXAMPLE } from '../src/plugins/examples.js';
import { SeriesSchema } from '../src/schemas/series.js';
import { SnapshotSchema, type Snapshot } from '../src/schemas/snapshot.js';

const errors = (schema: TSchema, value: unknown) =>
  [...Value.Errors(schema, value)].map((e) => `${e.instancePath} ${e.message}`);

describe('response schemas and disclosure control', () => {
  it('the snapshot schema should accept a controlled snapshot, nulls and markers included', () => {
    const controlled = controlSnapshot(SNAPSHOT_EXAMPLE);
    // the route's response type too: a controlled snapshot is a Snapshot
    const typed: Snapshot = controlled;
    expect(typed.disclosure).toBe('controlled');
    expect(controlled.suppressed.length).toBeGreaterThan(0);
    expect(errors(SnapshotSchema, controlled)).toEqual([]);
    expect(errors(SnapshotSchema, SNAPSHOT_EXAMPLE)).toEqual([]);
  });

  it('a former counter name should be controlled as its figure, never left exact', () => {
    const body = structuredClone(SNAPSHOT_EXAMPLE);
    const starts = body.today.counters.rtt_clock_starts_recorded;
    starts.child = 3;
    starts.total! += 3;
    // the example carries the former name beside the figure, the same split
    (body.today.counters as Record<string, typeof starts>).rtt_clock_starts = starts;
    const counters = controlSnapshot(body).today.counters as Record<string, typeof starts>;
    expect(counters.rtt_clock_starts).toEqual(counters.rtt_clock_starts_recorded);
    expect(counters.rtt_clock_starts!.child).toBeNull();
    const controlled = controlSnapshot(body);
    expect(controlled.suppressed).toContainEqual({
      path: '/today/counters/rtt_clock_starts/child',
      reason: 'suppressed',
    });
  });

  it('the snapshot schema should refuse an unknown disclosure level', () => {
    const controlled = { ...controlSnapshot(SNAPSHOT_EXAMPLE), disclosure: 'rounded' };
    expect(errors(SnapshotSchema, controlled)).not.toEqual([]);
  });

  it('the series schema should accept a controlled series', () => {
    const controlled = controlSeries({
      scope: { kind: 'trust', code: 'RXN', name: 'RXN' },
      metric: 'ed_attendances',
      unit: 'count',
      family: 'ae',
      asOf: '2026-04-01T10:20:00.000Z',
      interval: '1h',
      from: '2026-04-01T09:00:00.000Z',
      to: '2026-04-01T11:00:00.000Z',
      points: [
        {
          start: '2026-04-01T09:00:00.000Z',
          end: '2026-04-01T10:00:00.000Z',
          value: { child: 3, adult: 40, unknown: 0, total: 43 },
          coverage: { reported: 1, expected: 1 },
          open: false,
        },
        {
          start: '2026-04-01T10:00:00.000Z',
          end: '2026-04-01T11:00:00.000Z',
          value: null,
          coverage: { reported: 0, expected: 1 },
          open: true,
        },
      ],
    });
    expect((controlled.points[0]!.value as NullableSplit).child).toBeNull();
    // coverage and the open flag count providers, not patients: published as they are
    expect(controlled.points.map((p) => [p.coverage, p.open, p.value === null])).toEqual([
      [{ reported: 1, expected: 1 }, false, false],
      [{ reported: 0, expected: 1 }, true, true],
    ]);
    expect(errors(SeriesSchema, controlled)).toEqual([]);
  });
});
