// Every error the API answers with, declared once with its HTTP status. Responses are RFC 9457
// problem details (application/problem+json); `type` is a stable URN per problem.
import { PulseError } from '@pulse/errors';

export const PROBLEMS = {
  INVALID_PARAMETER: { status: 400, title: 'A request parameter is invalid' },
  INVALID_RANGE: { status: 400, title: 'The requested time range is invalid' },
  TOO_MANY_POINTS: { status: 400, title: 'The series would have too many points' },
  UNKNOWN_ORGANISATION: { status: 404, title: 'No such organisation' },
  CURSOR_EXPIRED: { status: 410, title: 'The change log no longer holds changes after the cursor' },
  TOO_MANY_STREAMS: { status: 429, title: 'Too many open streams for this client' },
  STREAMS_FULL: { status: 503, title: 'The server holds as many streams as it may' },
  NOT_IN_FORCE: { status: 404, title: 'The organisation is not in force on that date' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such resource' },
  UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
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

  constructor(
    code: ProblemCode,
    detail: string,
    options?: { errors?: ParameterError[]; cause?: unknown },
  ) {
    // A dependency that is unavailable may be back on the next call; a bad request will not.
    super(code, detail, { cause: options?.cause, canRetry: PROBLEMS[code].status === 503 });
    this.statusCode = PROBLEMS[code].status;
    this.errors = options?.errors;
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
