// Every error the API answers with, declared once with its HTTP status. Responses are RFC 9457
// problem details (application/problem+json); `type` is a stable URN per problem.
import { PulseError } from '@pulse/errors';

export const PROBLEMS = {
  INVALID_PARAMETER: { status: 400, title: 'A request parameter is invalid' },
  BAD_URL: { status: 400, title: 'The URL is not validly percent-encoded' },
  INVALID_TOKEN: { status: 401, title: 'The bearer token is not valid' },
  FORBIDDEN: { status: 403, title: 'The token does not grant this' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  URI_TOO_LONG: { status: 414, title: 'A path parameter is too long' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INVALID_RANGE: { status: 400, title: 'The requested time range is invalid' },
  TOO_MANY_POINTS: { status: 400, title: 'The series would have too many points' },
  UNKNOWN_ORGANISATION: { status: 404, title: 'No such organisation' },
  CURSOR_EXPIRED: { status: 410, title: 'The change log no longer holds changes after the cursor' },
  TOO_MANY_STREAMS: { status: 429, title: 'Too many open streams for this client' },
  STREAMS_FULL: { status: 503, title: 'The server holds as many streams as it may' },
  NOT_IN_FORCE: { status: 404, title: 'The organisation is not in force on that date' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such resource' },
  UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
  BUSY: { status: 503, title: 'Too many expensive requests in progress' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** Where a bad parameter was: RFC 9457's extension for validation failures. */
export interface ParameterError {
  /** The request part: path, query or header. */
  in: 'path' | 'query' | 'header';
  /** The parameter's name. */
  name: string;
  /** JSON pointer to the parameter within that part, e.g. `/metric`. */
  pointer: string;
  /** What is wrong with it. */
  detail: string;
}

/** The problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ProblemCode;
  errors?: ParameterError[];
}

export function problemType(code: ProblemCode): string {
  return `urn:ics-pulse:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

/** An error the routes throw on purpose; the errors plugin turns it into a problem response. */
export class ApiError extends PulseError<ProblemCode> {
  readonly statusCode: number;
  readonly errors: ParameterError[] | undefined;
  /** Response headers the problem needs (Retry-After, Allow, WWW-Authenticate). */
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail: string,
    options?: { errors?: ParameterError[]; cause?: unknown; headers?: Record<string, string> },
  ) {
    // A dependency that is unavailable, or a limit, may let the next call through; a bad request
    // will not.
    const status = PROBLEMS[code].status;
    super(code, detail, { cause: options?.cause, canRetry: status === 503 || status === 429 });
    this.statusCode = status;
    this.errors = options?.errors;
    this.headers = options?.headers ?? {};
  }
}

/** A 400 naming one bad query or path parameter. */
export function invalidParameter(
  where: ParameterError['in'],
  name: string,
  detail: string,
  code: ProblemCode = 'INVALID_PARAMETER',
): ApiError {
  return new ApiError(code, `${where} parameter '${name}' ${detail}`, {
    errors: [{ in: where, name, pointer: `/${name}`, detail }],
  });
}

export function problemOf(
  code: ProblemCode,
  detail: string,
  instance: string,
  errors?: ParameterError[],
): Problem {
  const { status, title } = PROBLEMS[code];
  const problem: Problem = { type: problemType(code), title, status, detail, instance, code };
  if (errors && errors.length > 0) problem.errors = errors;
  return problem;
}
