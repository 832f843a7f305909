// The response schemas accept the public tier's controlled form (@pulse/disclosure) as well as the
// exact one, so routes need only call the controls.
import { controlSeries, controlSnapshot } from '@pulse/disclosure';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_EXAMPLE } from '../src/plugins/examples.js';
import { SeriesSchema } from '../src/schemas/series.js';
import { SnapshotSchema } from '../src/schemas/snapshot.js';

const errors = (schema: TSchema, value: unknown) =>
  [...Value.Errors(schema, value)].map((e) => `${e.instancePath} ${e.message}`);

describe('response schemas and disclosure control', () => {
  it('the snapshot schema should accept a controlled snapshot, nulls and markers included', () => {
    const controlled = controlSnapshot(SNAPSHOT_EXAMPLE);
    expect(controlled.suppressed.length).toBeGreaterThan(0);
    expect(errors(SnapshotSchema, controlled)).toEqual([]);
    expect(errors(SnapshotSchema, SNAPSHOT_EXAMPLE)).toEqual([]);
  });

  it('the snapshot schema should refuse an unknown disclosure level', () => {
    const controlled = { ...controlSnapshot(SNAPSHOT_EXAMPLE), disclosure: 'rounded' };
    expect(errors(SnapshotSchema, controlled)).not.toEqual([]);
  });

  it('the series schema should accept a controlled series', () => {
    const controlled = controlSeries({
      scope: { kind: 'trust', code: 'RXN', name: 'RXN' },
      metric: 'ed_attendances',
      interval: '1h',
      from: '2026-04-01T09:00:00.000Z',
      to: '2026-04-01T10:00:00.000Z',
      points: [
        {
          start: '2026-04-01T09:00:00.000Z',
          end: '2026-04-01T10:00:00.000Z',
          value: { child: 3, adult: 40, unknown: 0, total: 43 },
        },
      ],
    });
    expect(controlled.points[0]!.value!.child).toBeNull();
    expect(errors(SeriesSchema, controlled)).toEqual([]);
  });
});
