import { randomBytes } from 'node:crypto';
import { onTestFinished } from 'vitest';

/**
 * Registers `release` to run when the current test finishes (pass or fail), before the
 * resource is created, so a failed creation leaves nothing behind. Callbacks run in reverse
 * order of registration: a consumer created after its group is closed before the group goes.
 */
export function releaseAfterTest(what: string, release: () => Promise<void>): void {
  try {
    onTestFinished(release);
  } catch (err) {
    throw new Error(`${what} is per test: call it inside a test or a beforeEach hook`, {
      cause: err,
    });
  }
}

/** `<label>-<12 hex chars>`; the label is reduced to letters, digits, '.', '_' and '-'. */
export function uniqueName(label: string): string {
  const safe = label.replace(/[^\w.-]/g, '-') || 'test';
  return `${safe}-${randomBytes(6).toString('hex')}`;
}
