// The brute-force oracle: the figures the aggregator must produce, computed from the simulator's
// sent log the slow, obvious way. It deliberately shares no figure logic with @pulse/kpi's
// effects.ts or the reference applier (each figure is defined again below, from the design's words), so a test
// comparing the two catches a bug in either.
import {
  ageGroupOf,
  CONTRACT_ERROR_CODES,
  type ActivityEvent,
  type ContractErrorCode,
  type EventOf,
  type EventType,
} from '@pulse/contracts';
import {
  addSplit,
  addToSplit,
  bucketForId,
  bucketsBetween,
  dataQualityKey,
  emptyCounterFigures,
  emptyGaugeFigures,
  inStateWindow,
  londonDateOf,
  parseScopeKey,
  scopeKey,
  type AgeGroup,
  type BedFigures,
  type BucketSize,
  type CounterFigure,
  type CounterFigures,
  type DataQuality,
  type FigureFamily,
  type GaugeFigures,
  type RejectionCode,
  type Resolver,
  type Scope,
} from '@pulse/kpi';

/**
 * Faults the log flags on a record (every contract code, a wrong key, a partition other than its
 * key's); the aggregator must reject it with this code. The other rejections the oracle derives
 * from the event.
 */
export const RECORD_FAULTS: readonly RecordFault[] = [
  ...CONTRACT_ERROR_CODES,
  'KEY_MISMATCH',
  'WRONG_PARTITION',
];
export type RecordFault = ContractErrorCode | 'KEY_MISMATCH' | 'WRONG_PARTITION';

/** One record as sent, in send order (at least per provider). */
export interface SentRecord {
  /** The event sent; absent when the bytes never were one (then `fault` says why). */
  event?: ActivityEvent;
  /** The Kafka key; defaults to the event's provider. A different provider is KEY_MISMATCH. */
  key?: string;
  /** A deliberate fault: any contract code (undecodable, unknown schema, invalid field, ...), a wrong key or partition. */
  fault?: RecordFault;
  /**
   * The record's Kafka timestamp (its time of receipt), which its lateness is judged against; if
   * absent, OracleOptions.clock.
   */
  clock?: number;
}

export interface OracleOptions {
  /** The reference data, as the aggregator resolves providers. */
  resolve: Resolver;
  /**
   * True for a code the reference data knows as a provider on any date (the aggregator's
   * `refdata.trust(ods) !== undefined`): a rejection is counted against its Kafka key only then,
   * else under UNUSABLE_KEY.
   */
  isKnownProvider: (ods: string) => boolean;
  /** The Kafka timestamp of records that carry no `clock` of their own. */
  clock: number;
  /** Default 14 days: earlier than the record's timestamp - grace is TOO_LATE. */
  graceMs?: number;
  /**
   * Default 5 minutes: occurredAt later than the record's timestamp + maxFuture is FUTURE_DATED,
   * emittedAt EMITTED_IN_FUTURE.
   */
  maxFutureMs?: number;
}

/** An accepted event with what the oracle needs: its send position and attribution. */
export interface AcceptedEvent {
  event: ActivityEvent;
  seq: number;
  trust: string;
  icb: string;
  region: string;
  londonDate: string;
  /** The record's Kafka timestamp (its `clock`, else OracleOptions.clock). */
  clock: number;
}

/** One trust's gauge sample at an instant, with its ICB and region on the sample's date. */
interface TrustSample extends TrustFigures {
  trust: string;
  icb: string;
  region: string;
}

/** Gauges and G&A beds (of one trust, or summed over a scope's). */
interface TrustFigures {
  gauges: GaugeFigures;
  beds: BedFigures;
}

/** A scope's gauge samples at one instant, summed over its trusts sampled then. */
export interface OracleSample {
  /** Trusts of the scope sampled at the instant. */
  sampled: number;
  gauges: GaugeFigures;
  beds: BedFigures;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const WEEK = 7 * 24 * HOUR;

const is = <T extends EventType>(e: ActivityEvent, type: T): e is EventOf<T> =>
  e.eventType === type;
const edStay = (e: EventOf<'ED_DEPARTURE'>) => e.occurredAt - e.payload.arrivedAt;
const handoverWait = (e: EventOf<'AMBULANCE_HANDOVER'>) => e.occurredAt - e.payload.arrivedAt;
const one = (yes: boolean) => (yes ? 1 : 0);

/** Each counter figure defined directly: what one accepted event adds to it. */
const DEFINITIONS: Record<
  Exclude<CounterFigure, 'discharges_not_meeting_ctr'>,
  (e: ActivityEvent) => number
> = {
  ed_attendances: (e) => one(is(e, 'ED_ARRIVAL')),
  ed_attendances_ambulance: (e) =>
    one(is(e, 'ED_ARRIVAL') && e.payload.arrivalMode === 'AMBULANCE'),
  ed_departures: (e) => one(is(e, 'ED_DEPARTURE')),
  ed_departures_within_4h: (e) => one(is(e, 'ED_DEPARTURE') && edStay(e) <= 4 * HOUR),
  ed_departures_over_12h: (e) => one(is(e, 'ED_DEPARTURE') && edStay(e) >= 12 * HOUR),
  ed_departures_admitted: (e) => one(is(e, 'ED_DEPARTURE') && e.payload.disposal === 'ADMITTED'),
  ambulance_handovers: (e) => one(is(e, 'AMBULANCE_HANDOVER')),
  ambulance_handovers_over_30m: (e) =>
    one(is(e, 'AMBULANCE_HANDOVER') && handoverWait(e) > 30 * MIN),
  ambulance_handovers_over_60m: (e) =>
    one(is(e, 'AMBULANCE_HANDOVER') && handoverWait(e) > 60 * MIN),
  ambulance_handover_ms_lost: (e) =>
    is(e, 'AMBULANCE_HANDOVER') ? Math.max(0, handoverWait(e) - 15 * MIN) : 0,
  admissions_emergency: (e) => one(is(e, 'ADMISSION') && e.payload.method === 'EMERGENCY'),
  admissions_elective: (e) => one(is(e, 'ADMISSION') && e.payload.method === 'ELECTIVE'),
  admissions_other: (e) => one(is(e, 'ADMISSION') && e.payload.method === 'OTHER'),
  discharges_home: (e) => one(is(e, 'DISCHARGE') && e.payload.destination === 'HOME'),
  discharges_care_home: (e) => one(is(e, 'DISCHARGE') && e.payload.destination === 'CARE_HOME'),
  discharges_other_provider: (e) =>
    one(is(e, 'DISCHARGE') && e.payload.destination === 'OTHER_PROVIDER'),
  discharges_hospice: (e) => one(is(e, 'DISCHARGE') && e.payload.destination === 'HOSPICE'),
  discharges_died: (e) => one(is(e, 'DISCHARGE') && e.payload.destination === 'DIED'),
  discharges_other: (e) => one(is(e, 'DISCHARGE') && e.payload.destination === 'OTHER'),
  rtt_clock_starts_recorded: (e) => one(is(e, 'RTT_CLOCK_START')),
  rtt_clock_stops: (e) => one(is(e, 'RTT_CLOCK_STOP')),
};

const DEFINITION_LIST = Object.entries(DEFINITIONS);

/** The family of figures each event type reports, from the design's list of figures. */
const FAMILY_OF: Record<EventType, FigureFamily> = {
  ED_ARRIVAL: 'ae',
  ED_DEPARTURE: 'ae',
  AMBULANCE_HANDOVER: 'ambulance-handovers',
  ADMISSION: 'inpatient',
  DISCHARGE: 'inpatient',
  CRITERIA_TO_RESIDE_CHANGED: 'inpatient',
  BED_STATE: 'beds',
  RTT_CLOCK_START: 'rtt',
  RTT_CLOCK_STOP: 'rtt',
};

const groupOf = (a: AcceptedEvent): AgeGroup => ageGroupOf(a.event.ageBand);

export class BruteForce {
  /** Accepted events, deduplicated, in send order. */
  readonly accepted: readonly AcceptedEvent[];
  /** Per Kafka key (a known provider, else UNUSABLE_KEY): accepted, duplicates, rejections by code, newest. */
  readonly dataQuality: ReadonlyMap<string, DataQuality>;
  /** Seqs of the discharges that count as discharges_not_meeting_ctr. */
  private readonly notMeetingDischarges: ReadonlySet<number>;
  /** Scope key → its accepted events in send order (an index; the counting stays naive). */
  private readonly byScope = new Map<string, AcceptedEvent[]>();
  private readonly resolve: Resolver;
  private readonly graceMs: number;
  /** Trust → sample end → how many of its events (send order) the sample is taken after. */
  private readonly sampleCache = new Map<string, Map<number, number>>();
  /** Trust → sample end → its gauges and beds then (every sample of a trust in one pass). */
  private readonly trustSamples = new Map<string, Map<number, TrustFigures>>();
  private readonly samplesByEnd = new Map<number, TrustSample[]>();
  private trustList: string[] | undefined;

  constructor(log: readonly SentRecord[], options: OracleOptions) {
    const graceMs = options.graceMs ?? 14 * 24 * HOUR;
    const maxFutureMs = options.maxFutureMs ?? 5 * MIN;
    const accepted: AcceptedEvent[] = [];
    const quality = new Map<string, DataQuality>();
    const seen = new Set<string>();
    log.forEach((record, seq) => {
      const key = record.key ?? record.event?.providerOds ?? '';
      const dqKey = dataQualityKey(key, options.isKnownProvider);
      let dq = quality.get(dqKey);
      if (!dq)
        quality.set(dqKey, (dq = { accepted: 0, duplicates: 0, rejected: {}, newest: undefined }));
      const e = record.event;
      const clock = record.clock ?? options.clock;
      const londonDate = e ? londonDateOf(e.occurredAt) : '';
      const parents = e ? options.resolve(e.providerOds, londonDate) : undefined;
      let code: RejectionCode | undefined = record.fault;
      if (!code && !e) throw new Error(`sent log record ${seq} has neither an event nor a fault`);
      else if (!code && e!.providerOds !== key) code = 'KEY_MISMATCH';
      else if (!code && e!.occurredAt < clock - graceMs) code = 'TOO_LATE';
      else if (!code && e!.occurredAt > clock + maxFutureMs) code = 'FUTURE_DATED';
      else if (!code && e!.emittedAt > clock + maxFutureMs) code = 'EMITTED_IN_FUTURE';
      else if (!code && !parents) code = 'UNKNOWN_ORGANISATION';
      if (code) {
        dq.rejected[code] = (dq.rejected[code] ?? 0) + 1;
      } else if (seen.has(e!.eventId)) {
        dq.duplicates += 1;
      } else {
        seen.add(e!.eventId);
        dq.accepted += 1;
        dq.newest = Math.max(dq.newest ?? -Infinity, e!.occurredAt);
        accepted.push({ event: e!, seq, trust: e!.providerOds, ...parents!, londonDate, clock });
      }
    });
    this.accepted = accepted;
    this.dataQuality = quality;
    this.resolve = options.resolve;
    this.graceMs = graceMs;
    for (const a of accepted) {
      for (const key of [`t:${a.trust}`, `i:${a.icb}`, `r:${a.region}`, 'e']) {
        const list = this.byScope.get(key);
        if (list) list.push(a);
        else this.byScope.set(key, [a]);
      }
    }
    this.notMeetingDischarges = findNotMeetingDischarges(accepted);
  }

  /** Every scope key with at least one accepted event. */
  scopes(): string[] {
    return [...this.byScope.keys()];
  }

  /** Ids of every bucket of a size from the earliest accepted event to the latest. */
  bucketIds(size: BucketSize): string[] {
    if (this.accepted.length === 0) return [];
    let from = Infinity;
    let to = -Infinity;
    for (const { event } of this.accepted) {
      from = Math.min(from, event.occurredAt);
      to = Math.max(to, event.occurredAt + 1);
    }
    return bucketsBetween(size, from, to);
  }

  /** Counter figures of a scope summed over buckets of one size (ids), counted event by event. */
  counters(scope: Scope | string, size: BucketSize, bucketIds: string | readonly string[]) {
    const buckets = (typeof bucketIds === 'string' ? [bucketIds] : bucketIds).map((id) =>
      bucketForId(size, id),
    );
    const figures: CounterFigures = emptyCounterFigures();
    for (const a of this.eventsOf(scope)) {
      const t = a.event.occurredAt;
      if (!buckets.some((b) => b.start <= t && t < b.end)) continue;
      for (const [figure, adds] of DEFINITION_LIST) {
        addToSplit(figures[figure as CounterFigure], groupOf(a), adds(a.event));
      }
      const notMeeting = one(this.notMeetingDischarges.has(a.seq));
      addToSplit(figures.discharges_not_meeting_ctr, groupOf(a), notMeeting);
    }
    return figures;
  }

  /**
   * Coverage: how many distinct trusts of the scope have an accepted event of the family in the
   * bucket (a series point's `coverage.reported`).
   */
  reported(
    scope: Scope | string,
    size: BucketSize,
    bucketId: string,
    family: FigureFamily,
  ): number {
    const bucket = bucketForId(size, bucketId);
    const trusts = new Set<string>();
    for (const a of this.eventsOf(scope)) {
      const t = a.event.occurredAt;
      if (bucket.start <= t && t < bucket.end && FAMILY_OF[a.event.eventType] === family)
        trusts.add(a.trust);
    }
    return trusts.size;
  }

  /** Newest occurredAt of a trust's accepted events of one family; undefined if none. */
  familyFreshness(ods: string, family: FigureFamily): number | undefined {
    let newest: number | undefined;
    for (const { event } of this.eventsOf(`t:${ods}`)) {
      if (FAMILY_OF[event.eventType] === family)
        newest = Math.max(newest ?? -Infinity, event.occurredAt);
    }
    return newest;
  }

  /** Newest occurredAt of the scope's accepted events; undefined if none. */
  freshness(scope: Scope | string): number | undefined {
    let newest: number | undefined;
    for (const { event } of this.eventsOf(scope))
      newest = Math.max(newest ?? -Infinity, event.occurredAt);
    return newest;
  }

  /**
   * The live gauges and G&A beds of a scope as of an instant: the final state after every
   * accepted event, summed over the trusts in the scope on `londonDate` (default asOf's date).
   */
  gauges(
    scope: Scope | string,
    asOf: number,
    londonDate = londonDateOf(asOf),
  ): { gauges: GaugeFigures; beds: BedFigures } {
    const s = typeof scope === 'string' ? parseScopeKey(scope) : scope;
    const trusts = new Set(this.accepted.map((a) => a.trust));
    const member = (ods: string) => {
      if (s.kind === 'trust') return ods === s.code;
      const parents = this.resolve(ods, londonDate);
      if (s.kind === 'england') return parents !== undefined;
      return s.code === (s.kind === 'icb' ? parents?.icb : parents?.region);
    };
    const sum: TrustFigures = { gauges: emptyGaugeFigures(), beds: emptyBeds() };
    for (const ods of trusts) {
      if (!member(ods)) continue;
      const state = new TrustState();
      for (const a of this.eventsOf(`t:${ods}`)) state.add(a);
      addFigures(sum, state.figures(asOf));
    }
    return sum;
  }

  /**
   * Gauge history, defined again from docs/aggregation.md ("Gauge history"): a trust is sampled
   * at a 15-minute end T when an accepted event of its own (send order) dated after T comes, from
   * the events before that one, unless T is not after the last end it was sampled at (or, for its
   * first event, started from: the last end before it), or is more than a day before the event,
   * or before the event's record time minus the grace period.
   */
  private samplesOf(ods: string): Map<number, number> {
    const cached = this.sampleCache.get(ods);
    if (cached) return cached;
    const step = 15 * MIN;
    const lastEndBefore = (t: number) => Math.floor((t - 1) / step) * step;
    const samples = new Map<number, number>();
    let until: number | undefined;
    this.eventsOf(`t:${ods}`).forEach((a, index) => {
      const o = a.event.occurredAt;
      if (until !== undefined) {
        for (let end = until + step; end < o; end += step) {
          if (end >= o - 24 * HOUR && end >= a.clock - this.graceMs) samples.set(end, index);
        }
      }
      until = Math.max(until ?? -Infinity, lastEndBefore(o));
    });
    this.sampleCache.set(ods, samples);
    return samples;
  }

  /**
   * A scope's gauge samples at an instant `at` (a 15-minute end): the trusts sampled then, in the
   * scope on the London date of the bucket ending at `at`, each its gauges and beds as of `at`
   * from its events before its sample.
   */
  gaugeSample(scope: Scope | string, at: number): OracleSample {
    const s = typeof scope === 'string' ? parseScopeKey(scope) : scope;
    const out: OracleSample = {
      sampled: 0,
      gauges: emptyGaugeFigures(),
      beds: { ga_beds_open: 0, ga_beds_occupied: 0 },
    };
    for (const one of this.samplesAt(at)) {
      if (s.kind === 'trust' && s.code !== one.trust) continue;
      if (s.kind === 'icb' && s.code !== one.icb) continue;
      if (s.kind === 'region' && s.code !== one.region) continue;
      out.sampled += 1;
      addFigures(out, one);
    }
    return out;
  }

  /**
   * The trusts sampled at `at` that are open on the London date of the bucket ending at `at`,
   * with their ICB and region then and their sample (cached: every scope reads the same).
   */
  private samplesAt(at: number) {
    const cached = this.samplesByEnd.get(at);
    if (cached) return cached;
    const date = londonDateOf(at - 1);
    this.trustList ??= [...new Set(this.accepted.map((a) => a.trust))];
    const list: TrustSample[] = [];
    for (const ods of this.trustList) {
      const sample = this.trustSamplesOf(ods).get(at);
      if (sample === undefined) continue;
      const parents = this.resolve(ods, date);
      if (!parents) continue;
      list.push({ trust: ods, ...parents, ...sample });
    }
    this.samplesByEnd.set(at, list);
    return list;
  }

  /**
   * Every sample of one trust: its events replayed once in send order, each sample taken from
   * the state after the events before it (cached: scopes share them).
   */
  private trustSamplesOf(ods: string): Map<number, TrustFigures> {
    const cached = this.trustSamples.get(ods);
    if (cached) return cached;
    const endsAfter = new Map<number, number[]>();
    for (const [end, taken] of this.samplesOf(ods)) {
      const ends = endsAfter.get(taken);
      if (ends) ends.push(end);
      else endsAfter.set(taken, [end]);
    }
    const samples = new Map<number, TrustFigures>();
    const state = new TrustState();
    this.eventsOf(`t:${ods}`).forEach((a, index) => {
      for (const end of endsAfter.get(index) ?? []) samples.set(end, state.figures(end));
      state.add(a);
    });
    this.trustSamples.set(ods, samples);
    return samples;
  }

  /** The scope's accepted events, in send order. */
  private eventsOf(scope: Scope | string): readonly AcceptedEvent[] {
    const key = typeof scope === 'string' ? scopeKey(parseScopeKey(scope)) : scopeKey(scope);
    return this.byScope.get(key) ?? [];
  }
}

/**
 * The spell's criteria-to-reside change in force at `at`, by event time: the latest by occurredAt
 * of those at or before `at` (a tie goes to the later sent), whatever order they arrived in.
 */
function ctrInForce(events: readonly AcceptedEvent[], at: number): AcceptedEvent | undefined {
  let found: AcceptedEvent | undefined;
  for (const a of events) {
    if (!is(a.event, 'CRITERIA_TO_RESIDE_CHANGED') || a.event.occurredAt > at) continue;
    if (!found || a.event.occurredAt >= found.event.occurredAt) found = a;
  }
  return found;
}

/**
 * A discharge counts when it is its spell's first and the spell's criteria-to-reside change in
 * force at the discharge (by event time: the latest at or before it, even one that arrived after
 * the discharge) says no, no more than the spell window (STATE_WINDOW_MS.ctr) before it.
 */
function findNotMeetingDischarges(accepted: readonly AcceptedEvent[]): Set<number> {
  const bySpell = new Map<string, AcceptedEvent[]>();
  for (const a of accepted) {
    if (!is(a.event, 'DISCHARGE') && !is(a.event, 'CRITERIA_TO_RESIDE_CHANGED')) continue;
    const key = `${a.trust}|${a.event.payload.spellId}`;
    const list = bySpell.get(key);
    if (list) list.push(a);
    else bySpell.set(key, [a]);
  }
  const found = new Set<number>();
  for (const events of bySpell.values()) {
    const first = events.find((a) => is(a.event, 'DISCHARGE'));
    if (!first) continue;
    const latest = ctrInForce(events, first.event.occurredAt)?.event as
      EventOf<'CRITERIA_TO_RESIDE_CHANGED'> | undefined;
    // A change more than the spell window before the discharge is not of this spell.
    const recent = latest && inStateWindow('ctr', latest.occurredAt, first.event.occurredAt);
    if (recent && !latest.payload.meetsCriteria) found.add(first.seq);
  }
  return found;
}

type OpenKind = 'ed' | 'rtt';
const OPEN_EVENTS = {
  ed: { opens: 'ED_ARRIVAL', closes: 'ED_DEPARTURE' },
  rtt: { opens: 'RTT_CLOCK_START', closes: 'RTT_CLOCK_STOP' },
} as const;

function itemId(e: ActivityEvent): string {
  if (is(e, 'ED_ARRIVAL') || is(e, 'ED_DEPARTURE')) return e.payload.attendanceId;
  if (is(e, 'RTT_CLOCK_START') || is(e, 'RTT_CLOCK_STOP')) return e.payload.pathwayId;
  throw new Error(`no attendance or pathway in ${e.eventType}`);
}

const emptyBeds = (): BedFigures => ({ ga_beds_open: 0, ga_beds_occupied: 0 });

function addFigures(sum: TrustFigures, one: TrustFigures): void {
  for (const figure of Object.keys(one.gauges) as (keyof GaugeFigures)[])
    addSplit(sum.gauges[figure], one.gauges[figure]);
  sum.beds.ga_beds_open += one.beds.ga_beds_open;
  sum.beds.ga_beds_occupied += one.beds.ga_beds_occupied;
}

/**
 * One trust's gauge state after its accepted events so far, given one at a time in send order
 * (so a day of samples costs one pass over the trust's events, not one per sample):
 * - ED attendances and RTT pathways open: an accepted opening event and no accepted closing one,
 *   in any order; the latest opening wins;
 * - per spell, the criteria-to-reside change in force by event time (a tie: the later sent), and
 *   whether the spell has a discharge;
 * - G&A beds: per site the snapshot with the newest occurredAt (a tie: the later sent).
 */
class TrustState {
  private readonly open: Record<OpenKind, Map<string, AcceptedEvent>> = {
    ed: new Map(),
    rtt: new Map(),
  };
  private readonly closed: Record<OpenKind, Set<string>> = { ed: new Set(), rtt: new Set() };
  private readonly ctr = new Map<string, AcceptedEvent>();
  private readonly discharged = new Set<string>();
  private readonly beds = new Map<string, EventOf<'BED_STATE'>>();

  add(a: AcceptedEvent): void {
    const e = a.event;
    for (const kind of ['ed', 'rtt'] as const) {
      const { opens, closes } = OPEN_EVENTS[kind];
      if (is(e, opens) && !this.closed[kind].has(itemId(e))) this.open[kind].set(itemId(e), a);
      if (is(e, closes)) {
        this.closed[kind].add(itemId(e));
        this.open[kind].delete(itemId(e));
      }
    }
    if (is(e, 'CRITERIA_TO_RESIDE_CHANGED')) {
      const current = this.ctr.get(e.payload.spellId);
      if (!current || e.occurredAt >= current.event.occurredAt) this.ctr.set(e.payload.spellId, a);
    }
    if (is(e, 'DISCHARGE')) this.discharged.add(e.payload.spellId);
    if (is(e, 'BED_STATE') && e.payload.bedType === 'GENERAL_ACUTE') {
      const site = e.siteOds ?? e.providerOds;
      const current = this.beds.get(site);
      if (!current || e.occurredAt >= current.occurredAt) this.beds.set(site, e);
    }
  }

  /** The trust's gauges and G&A beds as of an instant, from the events given so far. */
  figures(asOf: number): TrustFigures {
    const gauges = emptyGaugeFigures();
    this.addOpenItems(gauges, 'ed', asOf);
    this.addOpenItems(gauges, 'rtt', asOf);
    this.addNotMeeting(gauges, asOf);
    const beds = emptyBeds();
    for (const e of this.beds.values()) {
      beds.ga_beds_open += e.payload.bedsOpen;
      beds.ga_beds_occupied += e.payload.bedsOccupied;
    }
    return { gauges, beds };
  }

  /** Open items whose arrival or clock start is within the state window of asOf. */
  private addOpenItems(gauges: GaugeFigures, kind: OpenKind, asOf: number) {
    for (const a of this.open[kind].values()) {
      const group = groupOf(a);
      const e = a.event;
      const score =
        kind === 'ed' ? e.occurredAt : (e as EventOf<'RTT_CLOCK_START'>).payload.clockStartAt;
      // Open longer than an ED stay or RTT wait can be: no longer counted (STATE_WINDOW_MS).
      if (!inStateWindow(kind, score, asOf)) continue;
      if (kind === 'ed') {
        addToSplit(gauges.ed_in_department, group, 1);
        addToSplit(gauges.ed_in_department_over_12h, group, one(e.occurredAt <= asOf - 12 * HOUR));
      } else {
        addToSplit(gauges.rtt_waiting, group, 1);
        addToSplit(gauges.rtt_over_18w, group, one(score < asOf - 18 * WEEK));
        addToSplit(gauges.rtt_over_52w, group, one(score < asOf - 52 * WEEK));
        addToSplit(gauges.rtt_over_65w, group, one(score < asOf - 65 * WEEK));
      }
    }
  }

  /**
   * Not meeting = the spell's change in force says so, within the spell window of asOf, and the
   * spell has no discharge.
   */
  private addNotMeeting(gauges: GaugeFigures, asOf: number) {
    for (const [spellId, a] of this.ctr) {
      const meets = (a.event as EventOf<'CRITERIA_TO_RESIDE_CHANGED'>).payload.meetsCriteria;
      const live = inStateWindow('ctr', a.event.occurredAt, asOf);
      if (!meets && live && !this.discharged.has(spellId)) {
        addToSplit(gauges.ctr_not_meeting, groupOf(a), 1);
      }
    }
  }
}
