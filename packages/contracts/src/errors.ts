// Errors are data: a closed list of stable codes. They become DLQ header values, so a code is
// never renamed or reused; add new ones at the end. Services that reject for reasons of their own
// (the aggregator's lateness, future dating, unknown organisations) extend this list rather than
// restate it:  const DLQ_REASONS = [...CONTRACT_ERROR_CODES, 'LATE'] as const;
import {
  MAX_BEDS_PER_SNAPSHOT,
  MAX_ED_STAY_MS,
  MAX_HANDOVER_MS,
  MAX_RTT_WAIT_MS,
  MAX_SPELL_MS,
} from './plausibility.js';
import { PulseError } from '@pulse/errors';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Every code @pulse/contracts throws, with what it means (the bounds: plausibility.ts). */
export const CONTRACT_ERRORS = {
  BAD_MARKER: 'The bytes do not start with the Avro single-object marker C3 01.',
  UNKNOWN_FINGERPRINT: 'The writer schema fingerprint matches no published schema version.',
  CORRUPT_BODY:
    'The bytes cannot be read as the writer schema: truncated, trailing bytes, or invalid Avro.',
  INVALID_FIELD: 'A field is missing, of the wrong type or outside its allowed values.',
  INVALID_TIME_ORDER:
    'Instants of one event are out of order (a departure before its arrival, say).',
  IDENTIFIER_IN_SUBJECT_REF:
    'subjectRef is not a keyed pseudonym (HMAC-SHA-256 as 64 hex digits or 43 base64url characters): it may be a direct patient identifier.',
  ED_STAY_TOO_LONG: `An ED departure more than ${MAX_ED_STAY_MS / DAY} days after its arrival.`,
  HANDOVER_TOO_LONG: `An ambulance handover more than ${MAX_HANDOVER_MS / HOUR} hours after the ambulance arrived.`,
  SPELL_TOO_LONG: `A discharge more than ${MAX_SPELL_MS / DAY} days after its admission.`,
  RTT_WAIT_TOO_LONG: `An RTT clock start or stop more than ${MAX_RTT_WAIT_MS / WEEK} weeks after the clock started.`,
  TOO_MANY_BEDS: `A bed snapshot with more than ${MAX_BEDS_PER_SNAPSHOT} beds open.`,
  SITE_NOT_OF_PROVIDER:
    'siteOds is not a site of the provider: neither its code nor its 3-character code followed by 2 characters.',
} as const;

export type ContractErrorCode = keyof typeof CONTRACT_ERRORS;

/** The closed list of codes, in declaration order. */
export const CONTRACT_ERROR_CODES = Object.keys(CONTRACT_ERRORS) as readonly ContractErrorCode[];

/** One broken field rule: where (a dotted path such as `payload.arrivedAt`) and what. */
export interface FieldIssue {
  readonly code: ContractErrorCode;
  readonly path: string;
  readonly detail: string;
}

export interface ContractErrorOptions {
  cause?: unknown;
  /** Dotted path of the offending field, for field errors. */
  path?: string;
  /** Every broken rule, for field errors (the error's own code and path are the first's). */
  issues?: readonly FieldIssue[];
}

/** The one error class of @pulse/contracts; `code` says which case, `detail` says what. */
export class ContractError extends PulseError<ContractErrorCode> {
  /** Human-readable detail without the code; suits a DLQ header. */
  readonly detail: string;
  readonly path: string | undefined;
  readonly issues: readonly FieldIssue[];

  constructor(code: ContractErrorCode, detail: string, options: ContractErrorOptions = {}) {
    const where = options.path === undefined ? '' : ` at ${options.path || '(event)'}`;
    super(code, `${code}${where}: ${detail}`, { cause: options.cause });
    this.detail = detail;
    this.path = options.path;
    this.issues = options.issues ?? [];
  }

  /** The error for a list of broken field rules (at least one). */
  static fromIssues(issues: readonly FieldIssue[]): ContractError {
    const [first] = issues;
    if (first === undefined) throw new RangeError('fromIssues needs at least one issue');
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return new ContractError(first.code, first.detail + more, { path: first.path, issues });
  }
}

export function isContractError(err: unknown): err is ContractError {
  return err instanceof ContractError;
}
