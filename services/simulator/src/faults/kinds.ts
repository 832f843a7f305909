// The faults the simulator can inject, how a --faults spec names them, and what the aggregator
// must do with each (docs/aggregation.md codes).
import { SimulatorError } from '../errors.js';

/** In the order ratios are laid out on [0, 1): one draw per generated event picks at most one. */
export const FAULT_KINDS = [
  'duplicate',
  'late',
  'tooLate',
  'future',
  'corrupt',
  'unknownFingerprint',
  'unknownProvider',
  'implausible',
  'identifier',
  'emittedFuture',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultRatios = Readonly<Record<FaultKind, number>>;

export const NO_FAULTS: FaultRatios = Object.freeze(
  Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
);

/** Rejection codes of docs/aggregation.md the simulator's faults provoke. */
export type RejectCode =
  | 'BAD_MARKER'
  | 'CORRUPT_BODY'
  | 'UNKNOWN_FINGERPRINT'
  | 'INVALID_FIELD'
  | 'IDENTIFIER_IN_SUBJECT_REF'
  | 'ED_STAY_TOO_LONG'
  | 'HANDOVER_TOO_LONG'
  | 'SPELL_TOO_LONG'
  | 'RTT_WAIT_TOO_LONG'
  | 'TOO_MANY_BEDS'
  | 'SITE_NOT_OF_PROVIDER'
  | 'TOO_LATE'
  | 'FUTURE_DATED'
  | 'UNKNOWN_ORGANISATION'
  | 'EMITTED_IN_FUTURE';

/** What the aggregator must do with a record: count it, count it as a duplicate, or dead-letter it. */
export type Expectation = 'accept' | 'duplicate' | `reject:${RejectCode}`;

/**
 * Parses "duplicate=0.05,late=0.01": each ratio in [0, 1], kinds as FAULT_KINDS, the total at
 * most 1 (at most one fault per event). Kinds not named are 0. An empty spec means no faults.
 */
export function parseFaults(spec: string): FaultRatios {
  const ratios: Record<FaultKind, number> = { ...NO_FAULTS };
  const seen = new Set<string>();
  for (const part of spec.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const match = /^([A-Za-z]+)=(.*)$/.exec(part);
    if (!match) {
      throw new SimulatorError('BAD_FAULTS', `--faults: "${part}" is not kind=ratio`);
    }
    const [, kind, raw] = match as unknown as [string, string, string];
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new SimulatorError(
        'BAD_FAULTS',
        `--faults: unknown fault kind "${kind}" (known: ${FAULT_KINDS.join(', ')})`,
      );
    }
    if (seen.has(kind)) throw new SimulatorError('BAD_FAULTS', `--faults: "${kind}" given twice`);
    seen.add(kind);
    const ratio = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
      throw new SimulatorError(
        'BAD_FAULTS',
        `--faults: ratio of "${kind}" must be a number from 0 to 1, got "${raw}"`,
      );
    }
    ratios[kind as FaultKind] = ratio;
  }
  const total = FAULT_KINDS.reduce((sum, kind) => sum + ratios[kind], 0);
  if (total > 1 + 1e-9) {
    throw new SimulatorError('BAD_FAULTS', `--faults: ratios add up to ${total}, more than 1`);
  }
  return ratios;
}
