// validateEvent: the field rules of the v1 contract. Runs on every encode and decode by default,
// so the valid path allocates nothing. Lateness, future dating and unknown organisations are the
// aggregator's business, not the contract's.
import { ContractError, type ContractErrorCode, type FieldIssue } from './errors.js';
import { EVENT_TYPES, type ActivityEvent, type EventType } from './events.js';
import {
  ENVELOPE_EXTRA_RULES,
  ENVELOPE_FIELDS,
  PAYLOAD_FIELDS,
  type FieldEntry,
  type FieldRule,
} from './rules.js';

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

const iso = (ms: number): string => new Date(ms).toISOString();

/** `earlier` must not be after `later`; both already passed their shape rules. */
function inOrder(
  issues: Issues,
  path: string,
  earlier: number,
  earlierName: string,
  later: number,
  laterName: string,
): Issues {
  if (earlier <= later) return issues;
  const detail = `${earlierName} (${iso(earlier)}) is after ${laterName} (${iso(later)})`;
  return add(issues, 'INVALID_TIME_ORDER', path, detail);
}

/** Cross-field rules of one event whose fields all passed their own rules. */
function checkRelations(event: ActivityEvent, issues: Issues): Issues {
  const at = event.occurredAt;
  if (event.emittedAt < at - EMIT_SKEW_TOLERANCE_MS) {
    const detail = `emittedAt (${iso(event.emittedAt)}) is more than ${EMIT_SKEW_TOLERANCE_MS / 60_000} minutes before occurredAt (${iso(at)})`;
    issues = add(issues, 'INVALID_TIME_ORDER', 'emittedAt', detail);
  }
  switch (event.eventType) {
    case 'ED_DEPARTURE': {
      const { arrivedAt, decisionToAdmitAt } = event.payload;
      issues = inOrder(issues, 'payload.arrivedAt', arrivedAt, 'arrival', at, 'departure');
      if (decisionToAdmitAt !== null) {
        const path = 'payload.decisionToAdmitAt';
        issues = inOrder(
          issues,
          path,
          arrivedAt,
          'arrival',
          decisionToAdmitAt,
          'decision to admit',
        );
        issues = inOrder(issues, path, decisionToAdmitAt, 'decision to admit', at, 'departure');
      }
      return issues;
    }
    case 'AMBULANCE_HANDOVER':
      return inOrder(
        issues,
        'payload.arrivedAt',
        event.payload.arrivedAt,
        'ambulance arrival',
        at,
        'handover',
      );
    case 'DISCHARGE':
      return inOrder(
        issues,
        'payload.admittedAt',
        event.payload.admittedAt,
        'admission',
        at,
        'discharge',
      );
    case 'RTT_CLOCK_START':
    case 'RTT_CLOCK_STOP':
      return inOrder(
        issues,
        'payload.clockStartAt',
        event.payload.clockStartAt,
        'clock start',
        at,
        'occurredAt',
      );
    case 'BED_STATE': {
      const { bedsOpen, bedsOccupied } = event.payload;
      if (event.siteOds === null) {
        issues = add(issues, 'INVALID_FIELD', 'siteOds', 'is required for BED_STATE');
      }
      if (bedsOccupied > bedsOpen) {
        const detail = `beds occupied (${bedsOccupied}) exceed beds open (${bedsOpen})`;
        issues = add(issues, 'INVALID_FIELD', 'payload.bedsOccupied', detail);
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
      `must be the ${type} fields, got ${String(payload)}`,
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
