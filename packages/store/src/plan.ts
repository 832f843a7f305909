// One partition batch -> one plan: everything the apply script will do, summed per key and field.
// Pure: no I/O, no clock. The script then does per batch what would otherwise be per event.
import type {
  AgeGroup,
  Attribution,
  Bucket,
  EventEffects,
  FigureFamily,
  Resolver,
} from '@pulse/kpi';
import type { ActivityEvent } from '@pulse/contracts';
import {
  AGE_GROUPS,
  bucketsOf,
  DAY_MS,
  effectsOf,
  NOT_MEETING_DISCHARGES,
  scopesOf,
  STATE_WINDOW_MS,
} from '@pulse/kpi';
import { StoreError } from './errors.js';
import { createSampler, sampleKeys, type PlannedSample } from './gauge-samples.js';
import type { ClosedSet, OpenSet, PartitionKeys } from './keys.js';
import {
  counterField,
  familyFreshField,
  partitionKey,
  partitionKeys,
  reportedField,
  utcDayOf,
} from './keys.js';
import type { ResolvedStoreOptions } from './options.js';
import { scopePlanner, type ScopeMarker, type ScopeMirror } from './scope-plan.js';

/** One accepted event, decoded, attributed and turned into effects by @pulse/kpi. */
export interface PlanItem {
  eventId: string;
  providerOds: string;
  occurredAt: number;
  /** When the producer sent it; the change log carries the batch's newest and oldest. */
  emittedAt?: number;
  attribution: Attribution;
  /** Its 15m, 1h and London-day buckets. */
  buckets: readonly Bucket[];
  effects: EventEffects;
  /**
   * The record's Kafka timestamp, when known: a gauge sample is never taken at an end earlier
   * than this minus the grace period (@pulse/kpi sampleCrossing).
   */
  recordTime?: number;
}

/** An accepted event's plan item: its id, provider, time, attribution, buckets and effects. */
export function planItemOf(
  event: ActivityEvent,
  attribution: Attribution,
  recordTime?: number,
): PlanItem {
  return {
    eventId: event.eventId,
    providerOds: event.providerOds,
    occurredAt: event.occurredAt,
    emittedAt: event.emittedAt,
    attribution,
    buckets: bucketsOf(event.occurredAt),
    effects: effectsOf(event),
    ...(recordTime === undefined ? {} : { recordTime }),
  };
}

/** A spell's first discharge as the store holds it (the probe reads it for late CTR changes). */
export interface DischargeRecord {
  at: number;
  /** The discharge event's age group: the group its not-meeting count is in. */
  group: AgeGroup;
  /** The discharge's ICB and region (its trust is the spell's). */
  icb: string;
  region: string;
}

/** The key of a spell in PlanInput.discharged: provider and spell id. */
export function spellOf(providerOds: string, spellId: string): string {
  return `${providerOds}\0${spellId}`;
}

/** A record sent to the DLQ; counted per provider (the Kafka key) in the same apply. */
export interface PlanRejection {
  providerOds: string;
  code: string;
}

export interface PlanInput {
  partition: number;
  /**
   * The partition's stored offset as the probe read it, null when none was stored: the fence.
   * The apply runs only if Redis still holds exactly this (none still, for null), so an apply by
   * another consumer between this probe and this apply always fences this one out, the
   * partition's first apply included.
   */
  storedOffset: string | null;
  /** Offset of the batch's first record (at or after storedOffset). */
  firstOffset: string;
  /** Offset after the batch's last record: stored by the apply. */
  nextOffset: string;
  /** Accepted records, in partition order. */
  items: readonly PlanItem[];
  rejections?: readonly PlanRejection[];
  /** Event ids the probe found already seen. */
  seen?: ReadonlySet<string>;
  /**
   * The probe's discharges of the spells the batch's criteria-to-reside changes name (spellOf):
   * a change at or before a discharge corrects that discharge's count in its own buckets.
   */
  discharged?: ReadonlyMap<string, DischargeRecord>;
  /**
   * The batch's record time, its newest Kafka timestamp (not the processor's clock, so a rebuild
   * from the log trims as the live run did): closed ids older than `clock - grace` go, and
   * open ids and not-meeting spells older than that and their state window (STATE_WINDOW_MS).
   */
  clock: number;
  /**
   * The writer's clock (wall time + CLOCK_OFFSET_MS, epoch ms), when known: each seen-id set the
   * batch writes is then kept at least SEEN_REPLAY_FLOOR_MS past it. Live, a set's own lifetime
   * (day end + grace + 1 day) is always longer; a rebuild replaying old days would otherwise
   * write sets already expired, and a resend later in the log would count again.
   */
  now?: number;
  /**
   * The probe's "sampled until" of the batch's trusts (gauge history): a trust absent here has
   * not been sampled yet and starts at its first applied event.
   */
  sampledUntil?: ReadonlyMap<string, number>;
  /**
   * A trust's ICB and region on a London date, for gauge samples (attributed on the date of the
   * bucket they end); absent: each sample takes its event's attribution.
   */
  resolve?: Resolver;
}

/**
 * The least time a seen-id set outlives the batch that wrote it (see PlanInput.now): a rebuild
 * must replay the grace period plus a day of the log within it (docs/aggregation.md, "Rebuild").
 */
export const SEEN_REPLAY_FLOOR_MS = DAY_MS;

/** Three keys, one per age group in AGE_GROUPS order. */
export type GroupKeys = readonly [string, string, string];

export interface PlannedIncrement {
  key: string;
  field: string;
  by: number;
}

/** A StateOp with its keys resolved. */
export type PlannedStateOp =
  /** group: index into `open` of the set the id joins (leaving the other two). */
  | { op: 'open'; closed: string; open: GroupKeys; group: number; id: string; score: number }
  | { op: 'close'; closed: string; open: GroupKeys; id: string; at: number }
  /**
   * A change added to the spell's history (`spell`, pruned through `index`); group: index into
   * `ctr` of the change's age group. `corrections`: when the spell is discharged (per the probe
   * or earlier in the batch), the discharge's not-meeting count, applied +1 or -1 if this change
   * turns its verdict. `window`: STATE_WINDOW_MS.ctr.
   */
  | {
      op: 'ctr';
      spell: string;
      index: string;
      ctr: GroupKeys;
      id: string;
      group: number;
      meets: boolean;
      at: number;
      window: number;
      corrections: PlannedIncrement[];
    }
  /** A spell's first discharge records `group`, `icb` and `region` for later corrections. */
  | {
      op: 'discharge';
      closed: string;
      spell: string;
      index: string;
      ctr: GroupKeys;
      id: string;
      at: number;
      window: number;
      group: number;
      icb: string;
      region: string;
      ifNotMeeting: PlannedIncrement[];
    }
  | { op: 'beds'; key: string; field: string; at: number; open: number; occupied: number }
  /** A gauge sample of a trust at a 15-minute end, before the event that crosses it. */
  | PlannedSample;

/** A state op with the scope keys it also writes (scope-plan.ts), when the store keeps them. */
export type PlannedScopedOp = PlannedStateOp & { mirror?: ScopeMirror };

/**
 * A trust's first report of a family in a bucket: set `field` to 1 in the trust's counter hash
 * unless it is there already, and only then add one to it in each of `parents` (the ICB, region
 * and England hashes of the same bucket), so they count each of their trusts once.
 */
export interface PlannedReport {
  key: string;
  field: string;
  parents: readonly string[];
  /**
   * When set (the report's events moved no counter), the apply script lists `bucket`
   * (`<size>:<bucket id>`) for each of `scopes` (the trust's and its parents') in the change log
   * if the report is the trust's first there: its coverage changed. Absent when the batch's
   * counters already list the bucket for those scopes.
   */
  change?: { bucket: string; scopes: readonly string[] };
}

export interface BatchPlan {
  partition: number;
  offsetKey: string;
  /** The partition's index of trusts with gauge state. */
  trustsKey: string;
  /** The stored offset the apply requires (null: none stored). */
  fence: string | null;
  next: string;
  /** Seen-day set -> ids to add. */
  seen: Map<string, string[]>;
  /** Hash -> field -> sum (counters and data-quality counts). */
  increments: Map<string, Map<string, number>>;
  /** Hash -> field -> value, stored only if greater (freshness, data-quality `newest`). */
  maxima: Map<string, Map<string, number>>;
  state: PlannedScopedOp[];
  /** Gauge state per scope: the partition's marker, when the store keeps that state. */
  scopeMarker?: ScopeMarker;
  /** The families each trust reported, per bucket (coverage). */
  reports: PlannedReport[];
  /**
   * Sorted sets the state ops touched -> the instant their members are trimmed below (after the
   * ops): closed ids below `clock - grace`, open ids and not-meeting spells below `clock - grace -
   * their state window`, where no read within the grace period counts them any more.
   */
  trims: Map<string, number>;
  /** Spell record hashes -> their index and the instant records are pruned below (clock - grace). */
  spellPrunes: Map<string, { index: string; below: number }>;
  /** Trusts with gauge state, added to the partition's trust index. */
  trusts: Set<string>;
  /** Key -> absolute expiry on Redis's clock (epoch ms), set after every write. */
  expiries: Map<string, number>;
  /** What the batch changed, appended to the partition's change log by the same script. */
  changes: PlannedChanges;
  summary: { accepted: number; duplicates: number; rejected: number };
}

/** One change-log entry: the scopes, buckets and providers a batch changed (see change-log.ts). */
export interface PlannedChanges {
  /** The partition's change-log stream. */
  key: string;
  /** First offset of the batch. */
  first: string;
  /**
   * Scope key -> `<size>:<bucket id>` of the counter hashes the batch incremented. Buckets whose
   * only change is coverage (a trust's first report of a family) are added by the apply script
   * itself, which alone knows whether the report is the first (PlannedReport.change).
   */
  buckets: Map<string, Set<string>>;
  /** Scope keys whose live gauges a state op may have changed. */
  gauges: Set<string>;
  /** Providers whose data-quality counts changed. */
  dataQuality: Set<string>;
  /** emittedAt of the applied events, newest and oldest (none when no item carries one). */
  emitted?: { newest: number; oldest: number };
  /** Retention: about this many entries, none older than maxAgeMs (Redis time). */
  maxLength: number;
  maxAgeMs: number;
}

function bump(fields: Map<string, number>, field: string, by: number): void {
  fields.set(field, (fields.get(field) ?? 0) + by);
}

/** The counter hashes one trust's events in one 15-minute slot increment. */
interface CounterGroup {
  scopes: readonly string[];
  keys: readonly string[];
  /** The field maps of `keys` in plan.increments. */
  hashes: Map<string, number>[];
  /** `<size>:<bucket id>` of its buckets, as the change log lists them. */
  buckets: readonly string[];
  /** Whether any of its events incremented a counter (else its hashes are unchanged). */
  counted: boolean;
  /**
   * The group's increments summed over its events (field -> sum), added to each of its hashes
   * once at the end of the plan rather than to all of them per event.
   */
  sums: Map<string, number>;
  newest: number;
  /** Family -> newest occurredAt of the group's events of that family. */
  families: Map<FigureFamily, number>;
}

/** The keys of one trust's gauge state and data quality, built once per plan. */
interface TrustKeys {
  dataQuality: string;
  closed: Record<ClosedSet, string>;
  open: Record<OpenSet, GroupKeys>;
  ctr: GroupKeys;
  beds: string;
  spell: string;
  spellIndex: string;
}

function trustKeysOf(keys: PartitionKeys, ods: string): TrustKeys {
  const closed = (set: ClosedSet) => keys.closed(set, ods);
  return {
    dataQuality: keys.dataQuality(ods),
    closed: { ed: closed('ed'), rtt: closed('rtt'), spell: closed('spell') },
    open: {
      ed: groupKeys((g) => keys.open('ed', ods, g)),
      rtt: groupKeys((g) => keys.open('rtt', ods, g)),
    },
    ctr: groupKeys((g) => keys.ctr(ods, g)),
    beds: keys.beds(ods),
    spell: keys.spell(ods),
    spellIndex: keys.spellIndex(ods),
  };
}

function max(
  map: Map<string, Map<string, number>>,
  key: string,
  field: string,
  value: number,
): void {
  let fields = map.get(key);
  if (!fields) map.set(key, (fields = new Map()));
  const current = fields.get(field);
  if (current === undefined || value > current) fields.set(field, value);
}

function groupKeys(make: (group: AgeGroup) => string): GroupKeys {
  return [make(AGE_GROUPS[0]!), make(AGE_GROUPS[1]!), make(AGE_GROUPS[2]!)];
}

/** Builds a batch's plan. Duplicates (probe-seen or repeated in the batch) count once, first wins. */
export function planBatch(input: PlanInput, options: ResolvedStoreOptions): BatchPlan {
  if (BigInt(input.nextOffset) < BigInt(input.firstOffset)) {
    throw new StoreError(
      'BAD_PLAN',
      `next offset ${input.nextOffset} is before first ${input.firstOffset}`,
    );
  }
  const probed = input.storedOffset;
  if (probed !== null && BigInt(input.firstOffset) < BigInt(probed)) {
    throw new StoreError(
      'BAD_PLAN',
      `first offset ${input.firstOffset} is below the stored offset ${probed} (already applied)`,
    );
  }
  const p = partitionKey(options.prefix, options.topic, input.partition);
  const keys = partitionKeys(p);
  const scopes = options.scopes && scopePlanner(p, options.scopes, input.clock);
  const plan: BatchPlan = {
    partition: input.partition,
    offsetKey: keys.offset,
    trustsKey: keys.trusts,
    fence: probed,
    next: input.nextOffset,
    seen: new Map(),
    increments: new Map(),
    maxima: new Map(),
    state: [],
    reports: [],
    trims: new Map(),
    spellPrunes: new Map(),
    trusts: new Set(),
    expiries: new Map(),
    changes: {
      key: keys.changes,
      first: input.firstOffset,
      buckets: new Map(),
      gauges: new Set(),
      dataQuality: new Set(),
      maxLength: options.changeLog.maxLength,
      maxAgeMs: options.changeLog.maxAgeMs,
    },
    summary: { accepted: 0, duplicates: 0, rejected: 0 },
  };
  if (scopes) plan.scopeMarker = scopes.marker;
  // Lifetimes are measured on the writer's clock (wall time + offset); Redis expires on its own.
  const expire = (key: string, writerAt: number) => {
    const at = writerAt - options.clockOffsetMs;
    if ((plan.expiries.get(key) ?? -Infinity) < at) plan.expiries.set(key, at);
  };
  const fieldsOf = (key: string) => {
    let fields = plan.increments.get(key);
    if (!fields) plan.increments.set(key, (fields = new Map()));
    return fields;
  };
  // Per-batch caches: events of one trust in one 15-minute slot share their 12 counter hashes
  // (4 scopes x 3 buckets), so keys are built once per (attribution, slot), not per event.
  const groups = new Map<string, CounterGroup>();
  const groupOf = (item: PlanItem): CounterGroup => {
    const { trust, icb, region } = item.attribution;
    let id = `${trust}\0${icb}\0${region}`;
    for (const bucket of item.buckets) id += `\0${bucket.id}`;
    let group = groups.get(id);
    if (!group) {
      const scopes = scopesOf(item.attribution);
      const keyList: string[] = [];
      for (const bucket of item.buckets) {
        for (const scope of scopes) {
          const key = keys.counters(scope, bucket.size, bucket.id);
          keyList.push(key);
          expire(key, bucket.end + options.retention[bucket.size]);
        }
      }
      const hashes = keyList.map(fieldsOf);
      const buckets = item.buckets.map((bucket) => `${bucket.size}:${bucket.id}`);
      group = {
        scopes,
        keys: keyList,
        hashes,
        buckets,
        counted: false,
        sums: new Map(),
        newest: -Infinity,
        families: new Map(),
      };
      groups.set(id, group);
    }
    return group;
  };
  const trustKeys = new Map<string, TrustKeys>();
  const trustKeysFor = (ods: string) => {
    let found = trustKeys.get(ods);
    if (!found) trustKeys.set(ods, (found = trustKeysOf(keys, ods)));
    return found;
  };
  const dq = new Map<string, Map<string, number>>();
  const dqOf = (ods: string) => {
    let fields = dq.get(ods);
    if (!fields) {
      dq.set(ods, (fields = fieldsOf(trustKeysFor(ods).dataQuality)));
      plan.changes.dataQuality.add(ods);
    }
    return fields;
  };
  // Trims are measured on the record time, like lateness; scores are event times.
  const trimAt = (window: number) => input.clock - options.grace - window;
  const trim: Trim = {
    closed: (key) => plan.trims.set(key, trimAt(0)),
    open: (set, keys) => {
      for (const key of keys) plan.trims.set(key, trimAt(STATE_WINDOW_MS[set]));
    },
    ctr: (keys) => {
      for (const key of keys) plan.trims.set(key, trimAt(STATE_WINDOW_MS.ctr));
    },
    spells: (spell, index) => plan.spellPrunes.set(spell, { index, below: trimAt(0) }),
  };
  // Discharges this batch makes, for its later criteria-to-reside changes of the same spells.
  const dischargedInBatch = new Map<string, DischargeRecord>();
  const dischargeOf = (ods: string, spellId: string) => {
    const spell = spellOf(ods, spellId);
    return dischargedInBatch.get(spell) ?? input.discharged?.get(spell);
  };
  /** The not-meeting count of a discharge: its field in its 12 counter hashes (with expiries). */
  const dischargeCount = (ods: string, d: DischargeRecord): PlannedIncrement[] => {
    const field = counterField(NOT_MEETING_DISCHARGES, d.group);
    const scopes = scopesOf({ trust: ods, icb: d.icb, region: d.region });
    return bucketsOf(d.at).flatMap((bucket) =>
      scopes.map((scope) => {
        // A correction may change the discharge's buckets: the change log says so.
        let changed = plan.changes.buckets.get(scope);
        if (!changed) plan.changes.buckets.set(scope, (changed = new Set()));
        changed.add(`${bucket.size}:${bucket.id}`);
        const key = keys.counters(scope, bucket.size, bucket.id);
        expire(key, bucket.end + options.retention[bucket.size]);
        return { key, field, by: 1 };
      }),
    );
  };
  const sampler = createSampler({
    keys: sampleKeys(partitionKey(options.prefix, options.topic, input.partition)),
    gaugeKeys: (ods) => {
      const trust = trustKeysFor(ods);
      return { ed: trust.open.ed, rtt: trust.open.rtt, ctr: trust.ctr, beds: trust.beds };
    },
    grace: options.grace,
    retention: options.retention,
    sampledUntil: input.sampledUntil,
    resolve: input.resolve,
    expire,
    max: (key, field, value) => max(plan.maxima, key, field, value),
  });
  let seenDay = { start: Number.NaN, ids: [] as string[] };
  const taken = new Set<string>();

  for (const item of input.items) {
    if (input.seen?.has(item.eventId) || taken.has(item.eventId)) {
      bump(dqOf(item.providerOds), 'duplicates', 1);
      plan.summary.duplicates++;
      continue;
    }
    taken.add(item.eventId);
    plan.summary.accepted++;
    bump(dqOf(item.providerOds), 'accepted', 1);
    const trust = trustKeysFor(item.providerOds);
    max(plan.maxima, trust.dataQuality, 'newest', item.occurredAt);
    // Gauge history: the trust's samples at the ends this event crosses, taken before it.
    for (const sample of sampler.cross(item)) plan.state.push(sample);

    const dayStart = item.occurredAt - (((item.occurredAt % DAY_MS) + DAY_MS) % DAY_MS);
    if (dayStart !== seenDay.start) {
      const day = utcDayOf(item.occurredAt);
      const seenKey = keys.seen(day.day);
      let ids = plan.seen.get(seenKey);
      if (!ids) plan.seen.set(seenKey, (ids = []));
      expire(
        seenKey,
        Math.max(day.end + options.grace + DAY_MS, (input.now ?? 0) + SEEN_REPLAY_FLOOR_MS),
      );
      seenDay = { start: dayStart, ids };
    }
    seenDay.ids.push(item.eventId);
    if (item.emittedAt !== undefined) {
      const emitted = plan.changes.emitted;
      if (!emitted) plan.changes.emitted = { newest: item.emittedAt, oldest: item.emittedAt };
      else if (item.emittedAt > emitted.newest) emitted.newest = item.emittedAt;
      else if (item.emittedAt < emitted.oldest) emitted.oldest = item.emittedAt;
    }

    const group = groupOf(item);
    if (item.occurredAt > group.newest) group.newest = item.occurredAt;
    const familyNewest = group.families.get(item.effects.family);
    if (familyNewest === undefined || item.occurredAt > familyNewest)
      group.families.set(item.effects.family, item.occurredAt);
    for (const increment of item.effects.counters) {
      if (increment.by === 0) continue;
      // Redis does not roll a script back: a bad HINCRBY mid-script would leave half a batch.
      if (!Number.isSafeInteger(increment.by)) {
        throw new StoreError(
          'BAD_PLAN',
          `${item.eventId}: ${increment.figure} by ${increment.by} is not an integer`,
        );
      }
      bump(group.sums, counterField(increment.figure, increment.group), increment.by);
      group.counted = true;
    }
    if (item.effects.state.length > 0) {
      plan.trusts.add(item.providerOds);
      for (const scope of group.scopes) plan.changes.gauges.add(scope);
    }
    for (const op of item.effects.state) {
      if (op.op === 'discharge' && !dischargeOf(item.providerOds, op.spellId)) {
        const { icb, region } = item.attribution;
        const first = op.ifNotMeeting[0]?.group ?? 'unknown';
        dischargedInBatch.set(spellOf(item.providerOds, op.spellId), {
          at: op.at,
          group: first,
          icb,
          region,
        });
      }
      const discharge = op.op === 'ctr' ? dischargeOf(item.providerOds, op.spellId) : undefined;
      const corrections = discharge ? dischargeCount(item.providerOds, discharge) : [];
      const planned = resolveStateOp(op, trust, trim, group.keys, item.attribution, corrections);
      // A discharge may count in the event's buckets ("not meeting" discharges).
      if (planned.op === 'discharge' && planned.ifNotMeeting.length > 0) group.counted = true;
      const mirror = scopes?.mirrorOf(op, item.providerOds, trim);
      plan.state.push(mirror ? { ...planned, mirror } : planned);
    }
  }
  for (const group of groups.values()) {
    for (const [field, by] of group.sums) for (const hash of group.hashes) bump(hash, field, by);
    for (const scope of group.scopes) {
      max(plan.maxima, keys.fresh, scope, group.newest);
      if (!group.counted) continue;
      let buckets = plan.changes.buckets.get(scope);
      if (!buckets) plan.changes.buckets.set(scope, (buckets = new Set()));
      for (const bucket of group.buckets) buckets.add(bucket);
    }
    // keys: per bucket, the trust's hash then its ICB's, region's and England's (scopesOf).
    const width = group.scopes.length;
    const trust = group.scopes[0]!.slice(2);
    for (const [family, newest] of group.families) {
      max(plan.maxima, keys.fresh, familyFreshField(trust, family), newest);
      for (let b = 0; b < group.keys.length; b += width) {
        const report: PlannedReport = {
          key: group.keys[b]!,
          field: reportedField(family),
          parents: group.keys.slice(b + 1, b + width),
        };
        // Coverage-only changes (no counter moved) are logged by the script, if it sets the field.
        if (!group.counted)
          report.change = { bucket: group.buckets[b / width]!, scopes: group.scopes };
        plan.reports.push(report);
      }
    }
  }

  sampler.finish();
  for (const rejection of input.rejections ?? []) {
    bump(dqOf(rejection.providerOds), `rejected:${rejection.code}`, 1);
    plan.summary.rejected++;
  }
  return plan;
}

/** Registers the sorted sets a state op touched, to trim after the ops. */
interface Trim {
  closed(key: string): void;
  open(set: OpenSet, keys: GroupKeys): void;
  ctr(keys: GroupKeys): void;
  spells(spell: string, index: string): void;
}

function resolveStateOp(
  op: EventEffects['state'][number],
  keys: TrustKeys,
  trim: Trim,
  counterKeys: readonly string[],
  attribution: Attribution,
  corrections: PlannedIncrement[],
): PlannedStateOp {
  const closed = (set: ClosedSet) => {
    const key = keys.closed[set];
    trim.closed(key);
    return key;
  };
  const open = (set: OpenSet) => {
    trim.open(set, keys.open[set]);
    return keys.open[set];
  };
  const ctr = () => {
    trim.ctr(keys.ctr);
    trim.spells(keys.spell, keys.spellIndex);
    return keys.ctr;
  };
  const window = STATE_WINDOW_MS.ctr;
  switch (op.op) {
    case 'open':
      return {
        op: 'open',
        closed: closed(op.set),
        open: open(op.set),
        group: AGE_GROUPS.indexOf(op.group),
        id: op.id,
        score: op.score,
      };
    case 'close':
      return { op: 'close', closed: closed(op.set), open: open(op.set), id: op.id, at: op.at };
    case 'ctr':
      return {
        op: 'ctr',
        ctr: ctr(),
        spell: keys.spell,
        index: keys.spellIndex,
        id: op.spellId,
        group: AGE_GROUPS.indexOf(op.group),
        meets: op.meets,
        at: op.at,
        window,
        corrections,
      };
    case 'discharge': {
      const ifNotMeeting: PlannedIncrement[] = [];
      for (const increment of op.ifNotMeeting) {
        if (increment.by === 0) continue;
        const field = counterField(increment.figure, increment.group);
        for (const key of counterKeys) ifNotMeeting.push({ key, field, by: increment.by });
      }
      return {
        op: 'discharge',
        closed: closed('spell'),
        ctr: ctr(),
        spell: keys.spell,
        index: keys.spellIndex,
        id: op.spellId,
        at: op.at,
        window,
        group: AGE_GROUPS.indexOf(op.ifNotMeeting[0]?.group ?? 'unknown'),
        icb: attribution.icb,
        region: attribution.region,
        ifNotMeeting,
      };
    }
    case 'beds':
      return {
        op: 'beds',
        key: keys.beds,
        field: `${op.siteOds}:${op.bedType}`,
        at: op.at,
        open: op.open,
        occupied: op.occupied,
      };
  }
}
