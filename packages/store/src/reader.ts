// The read side: a scope's counters, gauges, freshness, completeness and data quality, merged
// over every partition of the topic. Each method is one pipelined round trip.
import { expectedToReport, type RefData } from '@pulse/refdata';
import type { Redis } from 'ioredis';
import type {
  Bucket,
  BucketSize,
  CounterFigure,
  CounterFigures,
  DataQuality,
  FigureFamily,
  RejectionCode,
  Scope,
  Split,
} from '@pulse/kpi';
import {
  AGE_GROUPS,
  addToSplit,
  bucketForId,
  bucketsBetween,
  COUNTER_FIGURES,
  emptyCounterFigures,
  emptySplit,
  FIGURE_FAMILIES,
  FIGURE_FAMILY,
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
import { defineScopeGaugesScript, readScopeGauges } from './reader-scope-gauges.js';
import { scopeStructureOf } from './scope-structure.js';
import {
  counterField,
  familyFreshField,
  partitionKey,
  partitionKeys,
  reportedField,
} from './keys.js';
import type { PartitionKeys } from './keys.js';
import type { GaugeSamplePoint } from './gauge-samples.js';
import { readGaugeSamples, sampleKeys } from './gauge-samples.js';

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
  /**
   * The partition a trust's records are on: the contract's key partitioner (Java's murmur2, see
   * @pulse/kafka), which the aggregator enforces (a record off its key's partition is
   * WRONG_PARTITION), so a trust's counters, gauges and freshness live there alone. With it, a
   * trust's figures are read from that partition; without it, from every partition.
   */
  partitionOf?: (ods: string) => number;
}

export interface Reporting {
  /** Trusts expected to report in the scope on the date. */
  expected: string[];
  /** Of those, the ones whose newest event is at or after `since`. */
  reporting: string[];
}

export interface Completeness extends Reporting {
  /**
   * Per figure family: the trusts expected to report it on the date (refdata's
   * expectedToReport), and those whose newest event of that family is at or after `since`.
   */
  families: Record<FigureFamily, Reporting>;
}

/**
 * Every partition's fresh hash, read at one instant and merged: the freshness and completeness of
 * any number of scopes without reading Redis again (what the push feed's ticks share).
 */
export interface FreshView {
  /** Newest occurredAt applied for the scope, or null if none (as `freshness`). */
  freshness(scope: Scope): number | null;
  /** As `completeness`, from this view. */
  completeness(scope: Scope, asOf: number, londonDate?: string, since?: number): Completeness;
}

/** One bucket of a counter series. */
export interface SeriesPoint {
  bucket: Bucket;
  value: Split;
  /** How many of the scope's trusts reported the figure's family in the bucket. */
  reported: number;
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
  ): Promise<SeriesPoint[]>;
  /** Per bucket (in bucketIds order), how many of the scope's trusts reported each family in it. */
  coverage(
    scope: Scope,
    size: BucketSize,
    bucketIds: readonly string[],
  ): Promise<Record<FigureFamily, number>[]>;
  /**
   * Gauge history: per bucket of a size covering [from, to), the samples of the scope's trusts
   * at the bucket's end (and, for 1d, at 08:00 London for G&A beds), summed.
   */
  gaugeSeries(
    scope: Scope,
    size: BucketSize,
    from: number,
    to: number,
  ): Promise<GaugeSamplePoint[]>;
  /** Live gauges and G&A beds summed over the scope's trusts on londonDate (default: asOf's). */
  gauges(scope: Scope, asOf: number, londonDate?: string): Promise<GaugeReading>;
  /** Newest occurredAt applied for the scope, or null if none. */
  freshness(scope: Scope): Promise<number | null>;
  /** Every partition's fresh hash in one round trip, for many scopes' freshness and completeness. */
  freshView(): Promise<FreshView>;
  /**
   * Trusts in scope on londonDate (default: asOf's) with an event applied at or after `since`
   * (default asOf - 1 hour), overall and per figure family.
   */
  completeness(
    scope: Scope,
    asOf: number,
    londonDate?: string,
    since?: number,
  ): Promise<Completeness>;
  dataQuality(ods: string): Promise<DataQuality>;
}

/** Every counter hash field, figure by figure and age group by age group. */
const COUNTER_FIELDS = COUNTER_FIGURES.flatMap((figure) =>
  AGE_GROUPS.map((group) => counterField(figure, group)),
);

/** A trust found on another partition than `partitionOf` names (misplacedTrust). */
export interface MisplacedTrust {
  ods: string;
  /** Where its records were applied. */
  partition: number;
  /** Where `partitionOf` puts it, and a reader given it reads it. */
  expected: number;
}

/**
 * The first trust whose records were applied on another partition than `partitionOf` names (its
 * `t:<ods>` field in that partition's fresh hash), or undefined: a reader given this
 * `partitionOf` reads every trust where its records are. One HKEYS per partition.
 */
export async function misplacedTrust(
  redis: Redis,
  options: Pick<ReaderOptions, 'prefix' | 'topic' | 'partitions'> & {
    partitionOf: (ods: string) => number;
  },
): Promise<MisplacedTrust | undefined> {
  const pipeline = redis.pipeline();
  for (let p = 0; p < options.partitions; p++)
    pipeline.hkeys(partitionKeys(partitionKey(options.prefix, options.topic, p)).fresh);
  const replies = (await execPipeline(pipeline)) as string[][];
  for (const [partition, fields] of replies.entries()) {
    for (const field of fields) {
      // Trust fields only: not other scopes' (`i:…`, `r:…`, `e`), nor `t:<ods>:<family>`.
      const [kind, ods, family] = field.split(':');
      if (kind !== 't' || ods === undefined || family !== undefined) continue;
      const expected = options.partitionOf(ods);
      if (expected !== partition) return { ods, partition, expected };
    }
  }
  return undefined;
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
  const prefixes = Array.from({ length: options.partitions }, (_, i) =>
    partitionKey(options.prefix, options.topic, i),
  );
  const samplePartitions = prefixes.map(sampleKeys);
  const partitions: PartitionKeys[] = prefixes.map(partitionKeys);
  const scopeScripts = { scope: defineScopeGaugesScript(redis), trusts: gaugesScript };
  const structure = scopeStructureOf(options.refdata);

  /** Where a scope's own figures may be: a trust's partition when known, else every partition. */
  const partitionsOf = (scope: Scope): readonly PartitionKeys[] => {
    if (scope.kind !== 'trust' || !options.partitionOf) return partitions;
    const index = options.partitionOf(scope.code);
    const own = partitions[index];
    if (!own) {
      throw new StoreError(
        'BAD_OPTION',
        `partitionOf put ${scope.code} on partition ${index} of ${partitions.length}`,
      );
    }
    return [own];
  };

  /** The trusts of a scope on a London date: itself for a trust, else from the reference data. */
  const trustsOf = (scope: Scope, londonDate: string): string[] =>
    scope.kind === 'trust'
      ? [scope.code]
      : options.refdata.trustsInScope(scope, londonDate).map((trust) => trust.odsCode);

  /**
   * The newest timestamp of each `fresh` field over the partitions (undefined where none has it).
   * A trust's events land on one partition, so most asked fields are absent from most partitions:
   * for a scope with many trusts (a region, England), fetching each partition's whole hash (its
   * own trusts and scopes only) moves several times less data than asking every partition for
   * every field.
   */
  const readFreshFields = async (
    fields: readonly string[],
    trusts: number,
    londonDate: string,
  ): Promise<(number | undefined)[]> => {
    if (fields.length === 0) return [];
    if (trusts * partitions.length > options.refdata.trusts(londonDate).length) {
      const all = await readWholeFresh();
      return fields.map((field) => all.get(field));
    }
    const pipeline = redis.pipeline();
    for (const p of partitions) pipeline.hmget(p.fresh, ...fields);
    const newest: (number | undefined)[] = new Array(fields.length).fill(undefined);
    for (const row of (await execPipeline(pipeline)) as (string | null)[][])
      row.forEach((value, i) => {
        if (value === null) return;
        const n = Number(value);
        if (!(n <= newest[i]!)) newest[i] = n;
      });
    return newest;
  };

  /** Every partition's whole fresh hash, merged: each field's newest timestamp. */
  const readWholeFresh = async (): Promise<Map<string, number>> => {
    const pipeline = redis.pipeline();
    for (const p of partitions) pipeline.hgetall(p.fresh);
    const newest = new Map<string, number>();
    for (const hash of (await execPipeline(pipeline)) as Record<string, string>[])
      for (const [field, value] of Object.entries(hash)) {
        const n = Number(value);
        if (!(n <= newest.get(field)!)) newest.set(field, n);
      }
    return newest;
  };

  /** The fresh-hash fields completeness reads: each trust's newest event, then of each family. */
  const completenessFields = (expected: readonly string[]): string[] =>
    expected.flatMap((ods) => [
      `t:${ods}`,
      ...FIGURE_FAMILIES.map((family) => familyFreshField(ods, family)),
    ]);

  /** Completeness from the newest value of each of completenessFields(expected), in order. */
  const completenessOf = (
    expected: string[],
    newest: readonly (number | undefined)[],
    since: number,
  ): Completeness => {
    const trusts = expected.map((ods) => options.refdata.trust(ods));
    const width = 1 + FIGURE_FAMILIES.length;
    const reported = (t: number, f: number) => (newest[t * width + f] ?? -Infinity) >= since;
    const families = Object.fromEntries(
      FIGURE_FAMILIES.map((family, f) => {
        const counted: Reporting = { expected: [], reporting: [] };
        expected.forEach((ods, t) => {
          const trust = trusts[t];
          if (!trust || !expectedToReport(trust, family)) return;
          counted.expected.push(ods);
          if (reported(t, 1 + f)) counted.reporting.push(ods);
        });
        return [family, counted];
      }),
    ) as Record<FigureFamily, Reporting>;
    const reporting = expected.filter((_, t) => reported(t, 0));
    return { expected, reporting, families };
  };

  /**
   * The same fields of a scope's counter hashes in many buckets, in chunks of
   * SERIES_CHUNK_BUCKETS: per chunk, one read-only script per partition the scope's figures may
   * be on (partitionsOf), a round trip each chunk, the event loop free between them. Per chunk,
   * its ids and each partition's values, bucket by bucket, field by field.
   */
  const readFields = async (
    scope: Scope,
    size: BucketSize,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<[string[], number[][]][]> => {
    const key = scopeKey(scope);
    const parts = partitionsOf(scope);
    const chunks: [string[], number[][]][] = [];
    for (let at = 0; at < ids.length; at += SERIES_CHUNK_BUCKETS) {
      const chunk = ids.slice(at, at + SERIES_CHUNK_BUCKETS);
      const pipeline = redis.pipeline();
      for (const p of parts) {
        seriesScript.queue(
          pipeline,
          chunk.map((id) => p.counters(key, size, id)),
          ['n', ...fields],
        );
      }
      chunks.push([chunk, (await execPipeline(pipeline)) as number[][]]);
    }
    return chunks;
  };

  return {
    async counters(scope, size, bucketIds) {
      const out: CounterFigures[] = [];
      const width = COUNTER_FIELDS.length;
      for (const [chunk, rows] of await readFields(scope, size, bucketIds, COUNTER_FIELDS))
        chunk.forEach((_, b) => {
          const figures = emptyCounterFigures();
          for (const row of rows) {
            let at = b * width;
            for (const figure of COUNTER_FIGURES)
              for (const group of AGE_GROUPS) addToSplit(figures[figure], group, row[at++]!);
          }
          out.push(figures);
        });
      return out;
    },

    async counterSeries(scope, figure, size, from, to) {
      const ids = bucketsBetween(size, from, to);
      const fields = AGE_GROUPS.map((group) => counterField(figure, group));
      fields.push(reportedField(FIGURE_FAMILY[figure]));
      const points: SeriesPoint[] = [];
      for (const [chunk, rows] of await readFields(scope, size, ids, fields)) {
        chunk.forEach((id, b) => {
          const value = emptySplit();
          let reported = 0;
          for (const counts of rows) {
            const at = b * fields.length;
            AGE_GROUPS.forEach((group, g) => addToSplit(value, group, counts[at + g]!));
            reported += counts[at + AGE_GROUPS.length]!;
          }
          points.push({ bucket: bucketForId(size, id), value, reported });
        });
      }
      return points;
    },

    async coverage(scope, size, bucketIds) {
      const fields = FIGURE_FAMILIES.map(reportedField);
      const out: Record<FigureFamily, number>[] = [];
      for (const [chunk, rows] of await readFields(scope, size, bucketIds, fields)) {
        chunk.forEach((_, b) => {
          const counts = Object.fromEntries(FIGURE_FAMILIES.map((f) => [f, 0])) as Record<
            FigureFamily,
            number
          >;
          for (const row of rows)
            FIGURE_FAMILIES.forEach((family, f) => (counts[family] += row[b * fields.length + f]!));
          out.push(counts);
        });
      }
      return out;
    },

    gaugeSeries: (scope, size, from, to) =>
      readGaugeSamples(
        redis,
        seriesScript,
        samplePartitions,
        scopeKey(scope),
        size,
        bucketsBetween(size, from, to),
        SERIES_CHUNK_BUCKETS,
      ),

    gauges(scope, asOf, londonDate = londonDateOf(asOf)) {
      const trusts = trustsOf(scope, londonDate);
      // An ICB, region or England: its gauge state kept per scope, when there is some that day.
      const group = scope.kind === 'trust' ? undefined : structure.groupOn(scope, londonDate);
      if (!group) return readGauges(redis, gaugesScript, partitionsOf(scope), trusts, asOf);
      return readScopeGauges(redis, scopeScripts, {
        prefixes,
        partitions,
        structure: structure.fingerprint,
        group,
        trusts,
        asOf,
      });
    },

    async freshness(scope) {
      const pipeline = redis.pipeline();
      for (const p of partitionsOf(scope)) pipeline.hget(p.fresh, scopeKey(scope));
      const newest = ((await execPipeline(pipeline)) as (string | null)[])
        .filter((v) => v !== null)
        .map(Number);
      return newest.length > 0 ? Math.max(...newest) : null;
    },

    async completeness(scope, asOf, londonDate = londonDateOf(asOf), since = asOf - HOUR_MS) {
      const expected = trustsOf(scope, londonDate);
      const newest = await readFreshFields(
        completenessFields(expected),
        expected.length,
        londonDate,
      );
      return completenessOf(expected, newest, since);
    },

    async freshView() {
      const newest = await readWholeFresh();
      return {
        freshness: (scope) => newest.get(scopeKey(scope)) ?? null,
        completeness(scope, asOf, londonDate = londonDateOf(asOf), since = asOf - HOUR_MS) {
          const expected = trustsOf(scope, londonDate);
          const fields = completenessFields(expected);
          return completenessOf(
            expected,
            fields.map((field) => newest.get(field)),
            since,
          );
        },
      };
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
