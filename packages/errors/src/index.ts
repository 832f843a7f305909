// Errors are data: each package keeps a closed list of codes and one class extending PulseError,
// so callers branch on `code` and `canRetry`, never on message text.

export interface PulseErrorOptions {
  /** The error this one wraps (kept as the standard `cause`). */
  cause?: unknown;
  /** Whether the same call may succeed if retried (default false). */
  canRetry?: boolean;
}

/** The base of every error the project throws on purpose. */
export class PulseError<Code extends string = string> extends Error {
  /** A stable code from the throwing package's closed list; never renamed or reused. */
  readonly code: Code;
  /** Whether retrying the same call may succeed (a dependency unreachable, say). */
  readonly canRetry: boolean;

  constructor(code: Code, message: string, options: PulseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.canRetry = options.canRetry ?? false;
  }
}

/** True for any error of the project; narrow further with `instanceof` the package's class. */
export function isPulseError(err: unknown): err is PulseError {
  return err instanceof PulseError;
}
