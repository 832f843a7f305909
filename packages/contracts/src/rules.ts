// Field rules: one table per record, typed against events.ts so the compiler catches a field
// that is missing or extra. The codec, the JSON form and validateEvent all read these tables.
import { shapeOf } from './describe.js';
import type { ContractErrorCode } from './errors.js';
import {
  ADMISSION_METHODS,
  AGE_BANDS,
  ARRIVAL_MODES,
  BED_TYPES,
  DISCHARGE_DESTINATIONS,
  DISPOSALS,
  EVENT_TYPES,
  type Envelope,
  type EventType,
  type PayloadOf,
} from './events.js';

export interface FieldRule {
  /** What is wrong with the value, or undefined when it is fine. */
  readonly check: (value: unknown) => string | undefined;
  /** The code a broken rule is reported with. */
  readonly code: ContractErrorCode;
  /** An instant: epoch ms in memory and Avro, an ISO 8601 string in JSON. */
  readonly instant: boolean;
  readonly nullable: boolean;
}

/** Shortest and longest attendance, spell and pathway id accepted (an opaque token). */
export const MIN_ID_LENGTH = 16;
export const MAX_ID_LENGTH = 64;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ODS = /^[A-Z0-9]{3}(?:[A-Z0-9]{2})?$/;
const TREATMENT_FUNCTION = /^\d{3}$/;
/**
 * Attendance, spell and pathway ids: opaque tokens of the base64url alphabet (A–Z a–z 0–9 - _),
 * 16 to 64 characters (a UUID, a keyed hash, a prefixed serial). An allowlist: spaces, dots and
 * other scripts' digits never pass, and a bare NHS number (10 digits), hospital number or date
 * is too short to be one.
 */
const ID_TOKEN = new RegExp(`^[A-Za-z0-9_-]{${MIN_ID_LENGTH},${MAX_ID_LENGTH}}$`);
/**
 * A keyed pseudonym: the 32 bytes of an HMAC-SHA-256 (keyed by the trust, over its own patient
 * identifier) as 64 lowercase hex digits or 43 unpadded base64url characters. Nothing else passes,
 * so an NHS number in any spelling, a postcode or a name is refused however it is written.
 */
const PSEUDONYM = /^(?:[0-9a-f]{64}|[A-Za-z0-9_-]{43})$/;
/** Largest Avro int; counts are Avro ints. */
const MAX_INT = 2 ** 31 - 1;

function rule(check: FieldRule['check'], extra: Partial<Omit<FieldRule, 'check'>> = {}): FieldRule {
  return { check, code: 'INVALID_FIELD', instant: false, nullable: false, ...extra };
}

function nullable(inner: FieldRule): FieldRule {
  return { ...inner, nullable: true, check: (v) => (v === null ? undefined : inner.check(v)) };
}

// Every detail describes a bad value by its shape only (describe.ts): it goes into the DLQ's
// pulse-error-detail header and the logs, and may be a patient identifier sent by mistake.
const stringMatching = (pattern: RegExp, what: string): FieldRule =>
  rule((v) =>
    typeof v === 'string' && pattern.test(v) ? undefined : `must be ${what}, got ${shapeOf(v)}`,
  );

const oneOf = (symbols: readonly string[]): FieldRule => {
  const allowed = new Set(symbols);
  return rule((v) =>
    typeof v === 'string' && allowed.has(v)
      ? undefined
      : `must be one of ${symbols.join(', ')}, got ${shapeOf(v)} that is none of them`,
  );
};

const intRange = (min: number, max: number): FieldRule =>
  rule((v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max
      ? undefined
      : `must be an integer from ${min} to ${max}, got ${shapeOf(v)}${Number.isInteger(v) ? ' outside that range' : ''}`,
  );

const identifier = stringMatching(
  ID_TOKEN,
  `an opaque id of ${MIN_ID_LENGTH} to ${MAX_ID_LENGTH} characters from A-Z a-z 0-9 - _`,
);

const instant = rule(
  (v) =>
    Number.isSafeInteger(v) && (v as number) >= 0
      ? undefined
      : `must be an instant in epoch milliseconds (a non-negative integer), got ${shapeOf(v)}`,
  { instant: true },
);

const ods = stringMatching(ODS, 'an ODS code of 3 or 5 uppercase letters or digits');

// subjectRef: its type first (INVALID_FIELD), then the pseudonym format with its own code, so a
// data-quality feed counts every subjectRef that is not a pseudonym as a possible identifier.
const subjectRefShape = rule((v) =>
  typeof v === 'string' ? undefined : `must be a keyed pseudonym string or null, got ${shapeOf(v)}`,
);

const subjectRef = rule(
  (v) =>
    typeof v !== 'string' || PSEUDONYM.test(v)
      ? undefined
      : `must be a keyed pseudonym (HMAC-SHA-256 as 64 lowercase hex digits or 43 base64url characters), got ${shapeOf(v)}; never send an NHS number, name, date of birth or postcode`,
  { code: 'IDENTIFIER_IN_SUBJECT_REF' },
);

type RuleTable<T> = { readonly [K in keyof T]-?: FieldRule };

export const ENVELOPE_RULES: RuleTable<Envelope & { eventType: EventType }> = {
  eventId: stringMatching(UUID, 'a UUID in lowercase canonical form'),
  eventType: oneOf(EVENT_TYPES),
  providerOds: ods,
  siteOds: nullable(ods),
  occurredAt: instant,
  emittedAt: instant,
  ageBand: oneOf(AGE_BANDS),
  // Shape first (INVALID_FIELD), then the identifier check with its own code; neither detail
  // quotes the value.
  subjectRef: nullable(subjectRefShape),
};

/** Extra checks on a field after its shape rule passed. */
export const ENVELOPE_EXTRA_RULES: Partial<Record<keyof Envelope, FieldRule>> = {
  subjectRef: nullable(subjectRef),
};

const rttClock = {
  pathwayId: identifier,
  clockStartAt: instant,
  treatmentFunction: stringMatching(TREATMENT_FUNCTION, 'a 3-digit treatment function code'),
};

export const PAYLOAD_RULES: { readonly [T in EventType]: RuleTable<PayloadOf<T>> } = {
  ED_ARRIVAL: {
    attendanceId: identifier,
    arrivalMode: oneOf(ARRIVAL_MODES),
    departmentType: intRange(1, 3),
    acuity: nullable(intRange(1, 5)),
  },
  ED_DEPARTURE: {
    attendanceId: identifier,
    arrivedAt: instant,
    disposal: oneOf(DISPOSALS),
    decisionToAdmitAt: nullable(instant),
  },
  AMBULANCE_HANDOVER: { arrivedAt: instant },
  ADMISSION: { spellId: identifier, method: oneOf(ADMISSION_METHODS), bedType: oneOf(BED_TYPES) },
  CRITERIA_TO_RESIDE_CHANGED: {
    spellId: identifier,
    meetsCriteria: rule((v) =>
      typeof v === 'boolean' ? undefined : `must be true or false, got ${shapeOf(v)}`,
    ),
  },
  DISCHARGE: {
    spellId: identifier,
    admittedAt: instant,
    destination: oneOf(DISCHARGE_DESTINATIONS),
  },
  BED_STATE: {
    bedType: oneOf(BED_TYPES),
    bedsOpen: intRange(0, MAX_INT),
    bedsOccupied: intRange(0, MAX_INT),
  },
  RTT_CLOCK_START: rttClock,
  RTT_CLOCK_STOP: rttClock,
};

/** Name of the Avro record holding an event type's payload: ED_ARRIVAL -> EdArrival. */
export function payloadRecordName(eventType: EventType): string {
  return eventType
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** A field of a rule table with its dotted path, in iteration-friendly form. */
export interface FieldEntry {
  readonly key: string;
  readonly path: string;
  readonly rule: FieldRule;
}

const entriesOf = (rules: object, prefix: string): readonly FieldEntry[] =>
  Object.entries(rules as Record<string, FieldRule>).map(([key, rule]) => ({
    key,
    path: prefix + key,
    rule,
  }));

export const ENVELOPE_FIELDS = entriesOf(ENVELOPE_RULES, '');
export const PAYLOAD_FIELDS = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, entriesOf(PAYLOAD_RULES[type], 'payload.')]),
) as unknown as Readonly<Record<EventType, readonly FieldEntry[]>>;
