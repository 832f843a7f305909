// Compares what the aggregator wrote (read back through @pulse/store's reader) with the
// brute-force oracle of @pulse/verify: every counter figure and age group of every scope in every
// bucket, each bucket's coverage per family, the live gauges and beds, freshness, and
// per-provider data quality.
import type { BucketSize, DataQuality, Scope } from '@pulse/kpi';
import {
  bedsReferenceOf,
  bucketForId,
  bucketsBetween,
  bucketsOf,
  FIGURE_FAMILIES,
  londonDateOf,
  londonDayBounds,
  parseScopeKey,
} from '@pulse/kpi';
import type { FigureReader } from '@pulse/store';
import { BruteForce, type AcceptedEvent, type SentRecord } from '@pulse/verify';
import { isKnownProvider, refdata, resolver } from './harness.js';

const SIZES: readonly BucketSize[] = ['15m', '1h', '1d'];

export interface Mismatch {
  scope: string;
  what: string;
  expected: unknown;
  actual: unknown;
}

export interface ComparisonSummary {
  scopes: number;
  buckets: Record<BucketSize, number>;
  /** Figure values compared (figure × age group × bucket × scope, plus gauges). */
  values: number;
  /** Gauge series points (scope × size × bucket) with at least one trust sampled. */
  sampledPoints: number;
  /** The first 50 differences (all of them is mismatchCount). */
  mismatches: Mismatch[];
  mismatchCount: number;
}

export interface CompareOptions {
  /** London dates whose every scope (trust, ICB, region, England in force) is compared too. */
  dates: readonly string[];
  /** Instant the gauges are read as of; default: the end of the last date. */
  asOf?: number;
  /** Restrict to these scope keys (plus England); default every scope. */
  onlyScopes?: readonly string[];
  /** Kafka keys whose data quality is compared; default every key the oracle saw. */
  providers?: readonly string[];
}

/** Every scope of the dates in the reference data, and every scope the oracle counted. */
function scopesToCompare(oracle: BruteForce, dates: readonly string[]): string[] {
  const keys = new Set(oracle.scopes());
  keys.add('e');
  const data = refdata();
  for (const date of dates) {
    for (const t of data.trusts(date)) keys.add(`t:${t.odsCode}`);
    for (const i of data.icbs(date)) keys.add(`i:${i.code}`);
    for (const r of data.regions(date)) keys.add(`r:${r.code}`);
  }
  return [...keys].sort();
}

function bucketIdsOf(oracle: BruteForce, size: BucketSize, dates: readonly string[]): string[] {
  const ids = new Set(oracle.bucketIds(size));
  for (const date of dates) {
    const day = londonDayBounds(date);
    for (const id of bucketsBetween(size, day.start, day.end)) ids.add(id);
  }
  return [...ids].sort();
}

/**
 * Per bucket, a BruteForce over only the events that bucket counts: the whole oracle's accepted
 * events in it (already deduplicated and checked) plus, as discharges_not_meeting_ctr looks back
 * along the spell, the criteria-to-reside and discharge events of every spell discharged in it,
 * in send order. Each figure is still counted event by event by the oracle, but a day of
 * buckets costs one pass over the events instead of one pass per bucket: on a day for every
 * trust this is most of the comparison's time.
 */
export function oraclesByBucket(oracle: BruteForce): (size: BucketSize, id: string) => BruteForce {
  const attribution = new Map<string, { icb: string; region: string }>();
  const spells = new Map<string, AcceptedEvent[]>();
  const spellOf = ({ event, trust }: AcceptedEvent) =>
    event.eventType === 'DISCHARGE' || event.eventType === 'CRITERIA_TO_RESIDE_CHANGED'
      ? `${trust}|${event.payload.spellId}`
      : undefined;
  for (const a of oracle.accepted) {
    attribution.set(`${a.trust}|${a.londonDate}`, { icb: a.icb, region: a.region });
    const spell = spellOf(a);
    if (spell === undefined) continue;
    const list = spells.get(spell);
    if (list) list.push(a);
    else spells.set(spell, [a]);
  }
  // Every event here was accepted by the whole oracle: nothing is too late or in the future.
  const options = {
    resolve: (ods: string, date: string) => attribution.get(`${ods}|${date}`),
    isKnownProvider: () => true,
    clock: 0,
    graceMs: Infinity,
    maxFutureMs: Infinity,
  };
  const empty = new BruteForce([], options);
  const bySize = new Map<BucketSize, Map<string, BruteForce>>();
  return (size, id) => {
    let oracles = bySize.get(size);
    if (!oracles) {
      const events = new Map<string, AcceptedEvent[]>();
      const index = SIZES.indexOf(size);
      for (const a of oracle.accepted) {
        const bucket = bucketsOf(a.event.occurredAt)[index]!.id;
        const list = events.get(bucket);
        if (list) list.push(a);
        else events.set(bucket, [a]);
      }
      oracles = new Map();
      for (const [bucket, inBucket] of events) {
        const withSpells = new Map(inBucket.map((a) => [a.seq, a]));
        for (const a of inBucket) {
          if (a.event.eventType !== 'DISCHARGE') continue;
          for (const b of spells.get(spellOf(a)!)!) withSpells.set(b.seq, b);
        }
        const log = [...withSpells.values()].sort((x, y) => x.seq - y.seq);
        oracles.set(
          bucket,
          new BruteForce(
            log.map(({ event }) => ({ event })),
            options,
          ),
        );
      }
      bySize.set(size, oracles);
    }
    return oracles.get(id) ?? empty;
  };
}

export async function compareWithOracle(
  reader: FigureReader,
  oracle: BruteForce,
  options: CompareOptions,
): Promise<ComparisonSummary> {
  const mismatches: Mismatch[] = [];
  let values = 0;
  let mismatchCount = 0;
  let sampledPoints = 0;
  const note = (scope: string, what: string, expected: unknown, actual: unknown) => {
    values++;
    if (expected === actual) return;
    mismatchCount++;
    if (mismatches.length < 50) mismatches.push({ scope, what, expected, actual });
  };
  let scopes = scopesToCompare(oracle, options.dates);
  if (options.onlyScopes) {
    const only = new Set([...options.onlyScopes, 'e']);
    scopes = scopes.filter((s) => only.has(s));
  }
  const ids = Object.fromEntries(
    SIZES.map((size) => [size, bucketIdsOf(oracle, size, options.dates)]),
  ) as Record<BucketSize, string[]>;
  const lastDate = [...options.dates].sort().at(-1);
  if (lastDate === undefined && options.asOf === undefined) throw new Error('give dates or asOf');
  const asOf = options.asOf ?? londonDayBounds(lastDate!).end;
  const bucketOracle = oraclesByBucket(oracle);
  const gaugeDate = lastDate ?? londonDateOf(asOf);

  for (const key of scopes) {
    const scope: Scope = parseScopeKey(key);
    for (const size of SIZES) {
      const actual = await reader.counters(scope, size, ids[size]);
      ids[size].forEach((id, b) => {
        const expected = bucketOracle(size, id).counters(key, size, id);
        for (const [figure, split] of Object.entries(expected)) {
          const got = actual[b]![figure as keyof typeof expected];
          for (const group of ['child', 'adult', 'unknown', 'total'] as const) {
            note(key, `${figure}.${group} ${size} ${id}`, split[group], got[group]);
          }
        }
      });
    }
    // Coverage: the trusts of the scope that reported each family in each bucket.
    for (const size of SIZES) {
      const actual = await reader.coverage(scope, size, ids[size]);
      ids[size].forEach((id, b) => {
        for (const family of FIGURE_FAMILIES) {
          const expected = bucketOracle(size, id).reported(key, size, id, family);
          note(key, `coverage ${family} ${size} ${id}`, expected, actual[b]![family]);
        }
      });
    }
    const gauges = await reader.gauges(scope, asOf, gaugeDate);
    const want = oracle.gauges(key, asOf, gaugeDate);
    for (const [figure, split] of Object.entries(want.gauges)) {
      for (const group of ['child', 'adult', 'unknown', 'total'] as const) {
        note(
          key,
          `gauge ${figure}.${group}`,
          split[group],
          gauges.gauges[figure as keyof typeof want.gauges][group],
        );
      }
    }
    for (const [figure, value] of Object.entries(want.beds)) {
      note(key, `beds ${figure}`, value, gauges.beds[figure as keyof typeof want.beds]);
    }
    note(key, 'freshness', oracle.freshness(key) ?? null, await reader.freshness(scope));
    sampledPoints += await compareGaugeHistory(reader, oracle, scope, key, ids, note);
  }

  for (const ods of options.providers ?? [...oracle.dataQuality.keys()]) {
    const expected = oracle.dataQuality.get(ods) ?? emptyQuality();
    const actual = await reader.dataQuality(ods);
    note(
      `t:${ods}`,
      'data quality',
      JSON.stringify(normalise(expected)),
      JSON.stringify(normalise(actual)),
    );
  }
  return {
    scopes: scopes.length,
    buckets: Object.fromEntries(SIZES.map((s) => [s, ids[s].length])) as Record<BucketSize, number>,
    values,
    mismatches,
    mismatchCount,
    sampledPoints,
  };
}

const GROUPS = ['child', 'adult', 'unknown', 'total'] as const;

/**
 * Gauge history: every point of the scope's gauge series at 15m, 1h and 1d over the compared
 * buckets against the oracle's samples at the bucket's end (08:00 London for the daily beds):
 * trusts sampled, every gauge and age group, G&A beds. Returns the points with a trust sampled.
 */
async function compareGaugeHistory(
  reader: FigureReader,
  oracle: BruteForce,
  scope: Scope,
  key: string,
  ids: Record<BucketSize, string[]>,
  note: (scope: string, what: string, expected: unknown, actual: unknown) => void,
): Promise<number> {
  let sampled = 0;
  for (const size of SIZES) {
    const list = ids[size];
    if (list.length === 0) continue;
    const from = bucketForId(size, list[0]!).start;
    const to = bucketForId(size, list.at(-1)!).end;
    for (const point of await reader.gaugeSeries(scope, size, from, to)) {
      const { id, end } = point.bucket;
      const want = oracle.gaugeSample(key, end);
      if (want.sampled > 0) sampled++;
      note(key, `sampled ${size} ${id}`, want.sampled, point.sample.sampled);
      for (const [figure, split] of Object.entries(want.gauges)) {
        const got = point.sample.gauges[figure as keyof typeof want.gauges];
        for (const group of GROUPS)
          note(key, `history ${figure}.${group} ${size} ${id}`, split[group], got[group]);
      }
      const beds = size === '1d' ? oracle.gaugeSample(key, bedsReferenceOf(id)) : want;
      note(key, `beds sampled ${size} ${id}`, beds.sampled, point.beds.sampled);
      for (const [figure, value] of Object.entries(beds.beds))
        note(
          key,
          `history ${figure} ${size} ${id}`,
          value,
          point.beds.beds[figure as 'ga_beds_open'],
        );
    }
  }
  return sampled;
}

function emptyQuality(): DataQuality {
  return { accepted: 0, duplicates: 0, rejected: {}, newest: undefined };
}

/** Data quality with rejection codes sorted and absent `newest` as null, for equality. */
function normalise(q: DataQuality) {
  const rejected = Object.fromEntries(
    Object.entries(q.rejected).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return { accepted: q.accepted, duplicates: q.duplicates, rejected, newest: q.newest ?? null };
}

/**
 * A few records sent around `asOf` (the aggregator's clock): the oracle over `sent` against every
 * figure of these trusts' scopes (and England) and the data quality of their keys.
 */
export function compareTrusts(
  reader: FigureReader,
  sent: readonly SentRecord[],
  options: { asOf: number; trusts: readonly string[] },
): Promise<ComparisonSummary> {
  const oracle = new BruteForce(sent, {
    resolve: resolver(),
    isKnownProvider,
    clock: options.asOf,
  });
  return compareWithOracle(reader, oracle, {
    dates: [],
    asOf: options.asOf,
    onlyScopes: options.trusts.map((ods) => `t:${ods}`),
    providers: options.trusts,
  });
}
