// Turns the generated stream into the records to send, with faults at the chosen ratios. Each
// generated event gets one uniform draw (from the seeded stream `${seed}/faults`) picking at most
// one fault:
// - duplicate: the event is sent, then resent (same eventId, same bytes) 1-30 minutes later;
// - late: the event itself is held back 15 minutes to 36 hours (inside the grace period);
// - tooLate, future, unknownProvider: the event is sent, plus a bad copy with a fresh eventId
//   (instants moved beyond the grace period / 2-4 days ahead; or a provider in no extract);
// - corrupt, unknownFingerprint: the event is sent, plus its bytes damaged (bad marker or a
//   truncated body; a random writer fingerprint);
// - implausible, identifier: the event is sent, plus a copy with a fresh eventId that breaks one
//   contract rule (bad-values.ts): beyond a plausibility bound, or a patient identifier where a
//   pseudonym or an opaque id belongs;
// - emittedFuture: the event is sent, plus a copy with a fresh eventId emitted 2-4 days ahead.
// A record's `clock` is the simulated time it is sent at: the stream's time when it is produced.
import { createCodec, type ActivityEvent, type Codec } from '@pulse/contracts';
import { TimeHeap, type Timed } from '../generate/heap.js';
import { createRng, type Rng } from '../generate/rng.js';
import { identifierCopy, implausibleCopy } from './bad-values.js';
import { FAULT_KINDS, type Expectation, type FaultKind, type FaultRatios } from './kinds.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One record to produce. */
export interface OutRecord {
  /** Kafka key: the provider ODS code (the unknown provider's own code for that fault). */
  readonly key: string;
  readonly value: Buffer;
  /** The event the bytes hold; null when the contract deliberately refuses them. */
  readonly event: ActivityEvent | null;
  readonly fault: FaultKind | null;
  readonly expect: Expectation;
  /** Simulated time at which it is sent (epoch ms); non-decreasing along the stream. */
  readonly clock: number;
}

export interface InjectOptions {
  readonly seed: string;
  readonly ratios: FaultRatios;
  readonly codec: Pick<Codec, 'encode'>;
  /** Encodes without the contract's rules, for the copies that break one (default: a new one). */
  readonly uncheckedCodec?: Pick<Codec, 'encode'>;
  /** True if the aggregator would know the code (any status but unknown), to avoid it. */
  readonly isKnownProvider: (ods: string) => boolean;
  /** The aggregator's grace period (default 14 days). */
  readonly graceMs?: number;
}

interface Held extends Timed {
  readonly record: OutRecord;
}

/** Instants an event carries, moved together so a shifted copy stays internally valid. */
function shifted(event: ActivityEvent, delta: number, eventId: string): ActivityEvent {
  const payload: Record<string, unknown> = { ...event.payload };
  for (const key of ['arrivedAt', 'decisionToAdmitAt', 'admittedAt', 'clockStartAt']) {
    const value = payload[key];
    if (typeof value === 'number') payload[key] = value + delta;
  }
  return {
    ...event,
    eventId,
    occurredAt: event.occurredAt + delta,
    emittedAt: event.emittedAt + delta,
    payload,
  } as unknown as ActivityEvent;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A well-formed 3-character ODS code that no extract knows. */
function unknownOds(rng: Rng, isKnown: (ods: string) => boolean): string {
  for (;;) {
    let code = 'Z';
    for (let i = 0; i < 2; i++) code += ALPHANUMERIC[rng.int(ALPHANUMERIC.length)];
    if (!isKnown(code)) return code;
  }
}

export function* injectFaults(
  events: Iterable<ActivityEvent>,
  options: InjectOptions,
): Generator<OutRecord> {
  const { ratios, codec } = options;
  let unchecked = options.uncheckedCodec;
  const encodeUnchecked = (e: ActivityEvent) =>
    (unchecked ??= createCodec({ validate: false })).encode(e);
  const graceMs = options.graceMs ?? 14 * DAY;
  const rng = createRng(`${options.seed}/faults`);
  const bounds: number[] = [];
  let acc = 0;
  for (const kind of FAULT_KINDS) bounds.push((acc += ratios[kind]));
  const held = new TimeHeap<Held>();
  let heldSeq = 0;
  const hold = (at: number, record: Omit<OutRecord, 'clock'>) =>
    held.push({ at, seq: heldSeq++, record: { ...record, clock: at } });
  /** Held records due by `clock`, in release order. */
  function* release(clock: number): Generator<OutRecord> {
    for (let h = held.takeBefore(clock, true); h; h = held.takeBefore(clock, true)) yield h.record;
  }

  for (const event of events) {
    const clock = event.occurredAt;
    yield* release(clock);
    const value = codec.encode(event);
    const key = event.providerOds;
    const ok: OutRecord = { key, value, event, fault: null, expect: 'accept', clock };
    const u = rng.float();
    const kind = u < acc ? FAULT_KINDS[bounds.findIndex((b) => u < b)] : undefined;
    if (kind === 'late') {
      hold(clock + Math.floor(rng.uniform(15 * MINUTE, 36 * HOUR)), { ...ok, fault: 'late' });
    } else {
      yield ok;
      if (kind) {
        const bad = faultyCopy(kind, event, value, clock);
        if (kind === 'duplicate') hold(bad.clock, bad);
        else yield bad;
      }
    }
  }
  yield* release(Infinity);

  function faultyCopy(
    kind: FaultKind,
    event: ActivityEvent,
    value: Buffer,
    clock: number,
  ): OutRecord {
    const record = (e: ActivityEvent, expect: Expectation, key = e.providerOds): OutRecord => ({
      key,
      value: codec.encode(e),
      event: e,
      fault: kind,
      expect,
      clock,
    });
    switch (kind) {
      case 'duplicate': {
        const at = clock + Math.floor(rng.uniform(MINUTE, 30 * MINUTE));
        return {
          key: event.providerOds,
          value,
          event,
          fault: kind,
          expect: 'duplicate',
          clock: at,
        };
      }
      case 'tooLate': {
        const at = clock - graceMs - Math.floor(rng.uniform(HOUR, 7 * DAY));
        return record(shifted(event, at - event.occurredAt, rng.uuid()), 'reject:TOO_LATE');
      }
      case 'future': {
        const at = clock + Math.floor(rng.uniform(2 * DAY, 4 * DAY));
        return record(shifted(event, at - event.occurredAt, rng.uuid()), 'reject:FUTURE_DATED');
      }
      case 'unknownProvider': {
        const ods = unknownOds(rng, options.isKnownProvider);
        const copy = {
          ...event,
          eventId: rng.uuid(),
          providerOds: ods,
          siteOds: ods,
        } as unknown as ActivityEvent;
        return record(copy, 'reject:UNKNOWN_ORGANISATION');
      }
      case 'corrupt': {
        const bytes = Buffer.from(value);
        if (rng.chance(0.5)) {
          // A JSON body sent to the Avro topic: '{"' where C3 01 belongs.
          bytes[0] = 0x7b;
          bytes[1] = 0x22;
          return {
            key: event.providerOds,
            value: bytes,
            event: null,
            fault: kind,
            expect: 'reject:BAD_MARKER',
            clock,
          };
        }
        // Header intact, body cut short (at least one byte missing).
        const keep = 10 + rng.int(bytes.length - 10);
        return {
          key: event.providerOds,
          value: bytes.subarray(0, keep),
          event: null,
          fault: kind,
          expect: 'reject:CORRUPT_BODY',
          clock,
        };
      }
      case 'unknownFingerprint': {
        const bytes = Buffer.from(value);
        for (let i = 2; i < 10; i++) bytes[i] = rng.uint32() & 0xff;
        return {
          key: event.providerOds,
          value: bytes,
          event: null,
          fault: kind,
          expect: 'reject:UNKNOWN_FINGERPRINT',
          clock,
        };
      }
      case 'implausible':
      case 'identifier': {
        const make = kind === 'implausible' ? implausibleCopy : identifierCopy;
        const bad = make(rng, event, rng.uuid());
        // Not an event the contract accepts: logged as its bytes, with the code it must get.
        return {
          key: event.providerOds,
          value: encodeUnchecked(bad.event),
          event: null,
          fault: kind,
          expect: `reject:${bad.code}`,
          clock,
        };
      }
      case 'emittedFuture': {
        // 2-4 days, as `future`: still ahead of a replay's clock an hour after the day ends.
        const emittedAt = clock + Math.floor(rng.uniform(2 * DAY, 4 * DAY));
        return record({ ...event, eventId: rng.uuid(), emittedAt }, 'reject:EMITTED_IN_FUTURE');
      }
      case 'late':
        throw new Error('late events are held, not copied');
    }
  }
}
