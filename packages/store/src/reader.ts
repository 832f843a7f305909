// The read side: a scope's counters, gauges, freshness, completeness and data quality, merged
// over every partition of the topic. Each method is one pipelined round trip.
import type { RefData } from '@pulse/refdata';
import type { Redis } from 'ioredis';
import type {
  Bucket,
  BucketSize,
  CounterFigure,
  CounterFigures,
  DataQuality,
  RejectionCode,
  Scope,
  Split,
} from '@pulse/kpi';
import {
  AGE_GROUPS,
  addToSplit,
  bucketForId,
  bucketsBetween,
  emptyCounterFigures,
  emptySplit,
  HOUR_MS,
  londonDateOf,
  scopeKey,
} from '@pulse/kpi';
import { defineScript } from '@pulse/redis';
import { StoreError } from './errors.js';
import { readScript } from './lua/scripts.js';
import { execPipeline } from './pipeline.js';
import type { GaugeReading } from './reader-gauges.js';
import { defineGaugesScript, readGauges } from './reader-gauges.js';
import { counterField, partitionKey, partitionKeys } from './keys.js';
import type { PartitionKeys } from './keys.js';

/**
 * Buckets read per round trip by counterSeries: each chunk is one script per partition, so a
 * 2,000-point series is 10 round trips and never one long stretch of JavaScript.
 */
export const SERIES_CHUNK_BUCKETS = 200;

export interface ReaderOptions {
  prefix: string;
  topic: string;
  /** The topic's partition count (from configuration). */
  partitions: number;
  refdata: RefData;
}

export interface Completeness {
  /** Trusts expected to report in the scope on the date. */
  expected: string[];
  /** Of those, the ones whose newest event is within the hour before asOf. */
  reporting: string[];
}

export interface FigureReader {
  /** Every counter figure of the scope in each bucket, in the order of bucketIds. */
  counters(scope: Scope, size: BucketSize, bucketIds: readonly string[]): Promise<CounterFigures[]>;
  /** One figure over the buckets covering [from, to). */
  counterSeries(
    scope: Scope,
    figure: CounterFigure,
    size: BucketSize,
    from: number,
    to: number,
  ): Promise<{ bucket: Bucket; value: Split }[]>;
  /** Live gauges and G&A beds summed over the scope's trusts on londonDate (default: asOf's). */
  gauges(scope: Scope, asOf: number, londonDate?: string): Promise<GaugeReading>;
  /** Newest occurredAt applied for the scope, or null if none. */
  freshness(scope: Scope): Promise<number | null>;
  completeness(scope: Scope, asOf: number, londonDate?: string): Promise<Completeness>;
  dataQuality(ods: string): Promise<DataQuality>;
}

/** Adds a counter hash (`<figure>:<group>` -> count) into figures. */
function addCounterHash(figures: CounterFigures, hash: Record<string, string>): void {
  for (const [field, value] of Object.entries(hash)) {
    const colon = field.lastIndexOf(':');
    const split = figures[field.slice(0, colon) as CounterFigure] as Split | undefined;
    const group = field.slice(colon + 1) as (typeof AGE_GROUPS)[number];
    if (split && AGE_GROUPS.includes(group)) addToSplit(split, group, Number(value));
  }
}

export function createFigureReader(redis: Redis, options: ReaderOptions): FigureReader {
  if (!Number.isInteger(options.partitions) || options.partitions < 1) {
    throw new StoreError(
      'BAD_OPTION',
      `partitions must be a positive integer, got ${options.partitions}`,
    );
  }
  const gaugesScript = defineGaugesScript(redis);
  const seriesScript = defineScript(redis, {
    name: 'pulseStoreSeries',
    lua: readScript('series'),
    readOnly: true,
  });
  const partitions: PartitionKeys[] = Array.from({ length: options.partitions }, (_, i) =>
    partitionKeys(partitionKey(options.prefix, options.topic, i)),
  );

  /** The trusts of a scope on a London date: itself for a trust, else from the reference data. */
  const trustsOf = (scope: Scope, londonDate: string): string[] =>
    scope.kind === 'trust'
      ? [scope.code]
      : options.refdata.trustsInScope(scope, londonDate).map((trust) => trust.odsCode);

  return {
    async counters(scope, size, bucketIds) {
      const key = scopeKey(scope);
      const pipeline = redis.pipeline();
      for (const id of bucketIds)
        for (const p of partitions) pipeline.hgetall(p.counters(key, size, id));
      const results = (await execPipeline(pipeline)) as Record<string, string>[];
      return bucketIds.map((_, b) => {
        const figures = emptyCounterFigures();
        for (let i = 0; i < partitions.length; i++)
          addCounterHash(figures, results[b * partitions.length + i]!);
        return figures;
      });
    },

    async counterSeries(scope, figure, size, from, to) {
      const key = scopeKey(scope);
      const ids = bucketsBetween(size, from, to);
      const fields = AGE_GROUPS.map((group) => counterField(figure, group));
      const points: { bucket: Bucket; value: Split }[] = [];
      // In chunks, one read-only script per partition each: a round trip per chunk, and the
      // event loop is free between them, however long the series.
      for (let at = 0; at < ids.length; at += SERIES_CHUNK_BUCKETS) {
        const chunk = ids.slice(at, at + SERIES_CHUNK_BUCKETS);
        const pipeline = redis.pipeline();
        for (const p of partitions) {
          const keys = chunk.map((id) => p.counters(key, size, id));
          seriesScript.queue(pipeline, keys, fields);
        }
        const results = (await execPipeline(pipeline)) as number[][];
        chunk.forEach((id, b) => {
          const value = emptySplit();
          for (const counts of results) {
            for (let g = 0; g < fields.length; g++) {
              addToSplit(value, AGE_GROUPS[g]!, counts[b * fields.length + g]!);
            }
          }
          points.push({ bucket: bucketForId(size, id), value });
        });
      }
      return points;
    },

    gauges: (scope, asOf, londonDate = londonDateOf(asOf)) =>
      readGauges(redis, gaugesScript, partitions, trustsOf(scope, londonDate), asOf),

    async freshness(scope) {
      const pipeline = redis.pipeline();
      for (const p of partitions) pipeline.hget(p.fresh, scopeKey(scope));
      const newest = ((await execPipeline(pipeline)) as (string | null)[])
        .filter((v) => v !== null)
        .map(Number);
      return newest.length > 0 ? Math.max(...newest) : null;
    },

    async completeness(scope, asOf, londonDate = londonDateOf(asOf)) {
      const expected = trustsOf(scope, londonDate);
      if (expected.length === 0) return { expected, reporting: [] };
      const fields = expected.map((ods) => `t:${ods}`);
      const pipeline = redis.pipeline();
      for (const p of partitions) pipeline.hmget(p.fresh, ...fields);
      const results = (await execPipeline(pipeline)) as (string | null)[][];
      const since = asOf - HOUR_MS;
      const reporting = expected.filter((_, t) =>
        results.some((row) => row[t] !== null && Number(row[t]) >= since),
      );
      return { expected, reporting };
    },

    async dataQuality(ods) {
      const pipeline = redis.pipeline();
      for (const p of partitions) pipeline.hgetall(p.dataQuality(ods));
      const quality: DataQuality = { accepted: 0, duplicates: 0, rejected: {}, newest: undefined };
      for (const hash of (await execPipeline(pipeline)) as Record<string, string>[]) {
        for (const [field, value] of Object.entries(hash)) {
          const n = Number(value);
          if (field === 'accepted') quality.accepted += n;
          else if (field === 'duplicates') quality.duplicates += n;
          else if (field === 'newest') quality.newest = Math.max(quality.newest ?? n, n);
          else if (field.startsWith('rejected:')) {
            const code = field.slice('rejected:'.length) as RejectionCode;
            quality.rejected[code] = (quality.rejected[code] ?? 0) + n;
          }
        }
      }
      return quality;
    },
  };
}
