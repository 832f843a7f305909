// Readiness: named checks run together, each bounded in time, answered in one body shape by every
// service (`/readyz`): { status: 'ready' | 'not ready', checks: { <name>: { status, detail? } } }.

export interface ReadinessCheck {
  /** Shown in the /readyz body, e.g. `redis`, `kafka-group`. */
  name: string;
  /**
   * Passes when it resolves (to anything but false). Resolving false or rejecting fails; a
   * rejection's message is the check's `detail`, so say what is wrong and what to do.
   */
  check(): Promise<unknown>;
}

export interface CheckResult {
  status: 'ok' | 'failing';
  detail?: string;
}

export interface Readiness {
  status: 'ready' | 'not ready';
  checks: Record<string, CheckResult>;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'failing', detail: `no answer in ${timeoutMs} ms` }),
      timeoutMs,
    );
    timer.unref();
  });
  const result = check.check().then(
    (value): CheckResult => (value === false ? { status: 'failing' } : { status: 'ok' }),
    (err: unknown): CheckResult => ({
      status: 'failing',
      detail: err instanceof Error ? err.message : String(err),
    }),
  );
  try {
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once, each given at most `timeoutMs`. */
export async function readiness(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (c) => [c.name, await runCheck(c, timeoutMs)] as const),
  );
  return {
    status: results.every(([, r]) => r.status === 'ok') ? 'ready' : 'not ready',
    checks: Object.fromEntries(results),
  };
}
