// validateEvent: the field rules of the v1 contract, plausibility bounds included. Runs on every
// encode and decode by default, so the valid path allocates nothing. Lateness, future dating
// (occurredAt or emittedAt) and unknown organisations need a clock or reference data: they are
// the aggregator's business, not the contract's. No detail quotes a value (describe.ts).
import { shapeOf } from './describe.js';
import { ContractError, type ContractErrorCode, type FieldIssue } from './errors.js';
import { EVENT_TYPES, type ActivityEvent, type EventType } from './events.js';
import {
  ENVELOPE_EXTRA_RULES,
  ENVELOPE_FIELDS,
  PAYLOAD_FIELDS,
  type FieldEntry,
  type FieldRule,
} from './rules.js';
import {
  isSiteOfProvider,
  MAX_BEDS_PER_SNAPSHOT,
  MAX_ED_STAY_MS,
  MAX_HANDOVER_MS,
  MAX_RTT_WAIT_MS,
  MAX_SPELL_MS,
} from './plausibility.js';

/**
 * How far emittedAt may fall before occurredAt. An EPR emits an event after it happens, but
 * clinicians type times and device clocks drift, so a few minutes of skew are not an error.
 */
export const EMIT_SKEW_TOLERANCE_MS = 5 * 60_000;

const ENVELOPE: readonly FieldEntry[] = [
  ...ENVELOPE_FIELDS,
  ...Object.entries(ENVELOPE_EXTRA_RULES).map(([key, rule]) => ({
    key,
    path: key,
    rule: rule as FieldRule,
  })),
];
const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

type Issues = FieldIssue[] | undefined;
const NONE: readonly FieldIssue[] = Object.freeze([]);

function add(issues: Issues, code: ContractErrorCode, path: string, detail: string): FieldIssue[] {
  const list = issues ?? [];
  list.push({ code, path, detail });
  return list;
}

function checkFields(
  record: Record<string, unknown>,
  fields: readonly FieldEntry[],
  issues: Issues,
): Issues {
  for (const { key, path, rule } of fields) {
    const problem = rule.check(record[key]);
    if (problem !== undefined) issues = add(issues, rule.code, path, problem);
  }
  return issues;
}

/**
 * `earlier` must not be after `later`; both already passed their shape rules. The detail names
 * the instants, never their values (a rejected instant may be a date of birth).
 */
function inOrder(
  issues: Issues,
  path: string,
  earlier: number,
  earlierName: string,
  later: number,
  laterName: string,
): Issues {
  if (earlier <= later) return issues;
  return add(issues, 'INVALID_TIME_ORDER', path, `${earlierName} is after ${laterName}`);
}

/** `later` must not be more than `bound` ms after `earlier` (plausibility.ts). */
function within(
  issues: Issues,
  code: ContractErrorCode,
  path: string,
  earlier: number,
  later: number,
  bound: number,
  detail: string,
): Issues {
  return later - earlier > bound ? add(issues, code, path, detail) : issues;
}

const HOURS = 3_600_000;
const DAYS = 24 * HOURS;
const WEEKS = 7 * DAYS;

/** Cross-field rules of one event whose fields all passed their own rules. */
function checkRelations(event: ActivityEvent, issues: Issues): Issues {
  const at = event.occurredAt;
  if (event.emittedAt < at - EMIT_SKEW_TOLERANCE_MS) {
    const detail = `emittedAt is more than ${EMIT_SKEW_TOLERANCE_MS / 60_000} minutes before occurredAt`;
    issues = add(issues, 'INVALID_TIME_ORDER', 'emittedAt', detail);
  }
  if (event.siteOds !== null && !isSiteOfProvider(event.siteOds, event.providerOds)) {
    const detail =
      "is not a site of providerOds: a site code is the provider's code, or its 3-character code followed by 2 letters or digits";
    issues = add(issues, 'SITE_NOT_OF_PROVIDER', 'siteOds', detail);
  }
  switch (event.eventType) {
    case 'ED_DEPARTURE': {
      const { arrivedAt, decisionToAdmitAt } = event.payload;
      const path = 'payload.arrivedAt';
      issues = inOrder(issues, path, arrivedAt, 'arrival', at, 'departure');
      issues = within(
        issues,
        'ED_STAY_TOO_LONG',
        path,
        arrivedAt,
        at,
        MAX_ED_STAY_MS,
        `departure is more than ${MAX_ED_STAY_MS / DAYS} days after arrival`,
      );
      if (decisionToAdmitAt !== null) {
        const dta = 'payload.decisionToAdmitAt';
        issues = inOrder(issues, dta, arrivedAt, 'arrival', decisionToAdmitAt, 'decision to admit');
        issues = inOrder(issues, dta, decisionToAdmitAt, 'decision to admit', at, 'departure');
      }
      return issues;
    }
    case 'AMBULANCE_HANDOVER': {
      const { arrivedAt } = event.payload;
      const path = 'payload.arrivedAt';
      issues = inOrder(issues, path, arrivedAt, 'ambulance arrival', at, 'handover');
      return within(
        issues,
        'HANDOVER_TOO_LONG',
        path,
        arrivedAt,
        at,
        MAX_HANDOVER_MS,
        `handover is more than ${MAX_HANDOVER_MS / HOURS} hours after the ambulance arrived`,
      );
    }
    case 'DISCHARGE': {
      const { admittedAt } = event.payload;
      const path = 'payload.admittedAt';
      issues = inOrder(issues, path, admittedAt, 'admission', at, 'discharge');
      return within(
        issues,
        'SPELL_TOO_LONG',
        path,
        admittedAt,
        at,
        MAX_SPELL_MS,
        `discharge is more than ${MAX_SPELL_MS / DAYS} days after admission`,
      );
    }
    case 'RTT_CLOCK_START':
    case 'RTT_CLOCK_STOP': {
      const { clockStartAt } = event.payload;
      const path = 'payload.clockStartAt';
      issues = inOrder(issues, path, clockStartAt, 'clock start', at, 'occurredAt');
      return within(
        issues,
        'RTT_WAIT_TOO_LONG',
        path,
        clockStartAt,
        at,
        MAX_RTT_WAIT_MS,
        `occurredAt is more than ${MAX_RTT_WAIT_MS / WEEKS} weeks after the clock start`,
      );
    }
    case 'BED_STATE': {
      const { bedsOpen, bedsOccupied } = event.payload;
      if (event.siteOds === null) {
        issues = add(issues, 'INVALID_FIELD', 'siteOds', 'is required for BED_STATE');
      }
      if (bedsOccupied > bedsOpen) {
        issues = add(issues, 'INVALID_FIELD', 'payload.bedsOccupied', 'exceeds bedsOpen');
      }
      if (bedsOpen > MAX_BEDS_PER_SNAPSHOT) {
        const detail = `is more than ${MAX_BEDS_PER_SNAPSHOT} beds in one snapshot`;
        issues = add(issues, 'TOO_MANY_BEDS', 'payload.bedsOpen', detail);
      }
      return issues;
    }
    default:
      return issues;
  }
}

/** Every broken field rule of a would-be event; empty when it is a valid ActivityEvent. */
export function findIssues(event: unknown): readonly FieldIssue[] {
  if (typeof event !== 'object' || event === null) {
    return [{ code: 'INVALID_FIELD', path: '', detail: 'an event must be an object' }];
  }
  const record = event as Record<string, unknown>;
  let issues = checkFields(record, ENVELOPE, undefined);
  const type = record['eventType'];
  const payload = record['payload'];
  if (typeof type !== 'string' || !EVENT_TYPE_SET.has(type)) return issues ?? NONE;
  if (typeof payload !== 'object' || payload === null) {
    return add(
      issues,
      'INVALID_FIELD',
      'payload',
      `must be the ${type} fields, got ${shapeOf(payload)}`,
    );
  }
  issues = checkFields(
    payload as Record<string, unknown>,
    PAYLOAD_FIELDS[type as EventType],
    issues,
  );
  // Relations compare values, so they run only on fields of the right shape.
  if (issues === undefined) issues = checkRelations(event as ActivityEvent, issues);
  return issues ?? NONE;
}

/** Throws a ContractError (code and path of the first broken rule, all under `issues`). */
export function validateEvent(event: unknown): asserts event is ActivityEvent {
  const issues = findIssues(event);
  if (issues.length > 0) throw ContractError.fromIssues(issues);
}
