// Every failure becomes an RFC 9457 problem: our own ApiErrors, schema validation failures (one
// entry per bad parameter, with its name and JSON pointer), unknown routes, a known path with the
// wrong method (405 with Allow), Fastify's own pre-routing errors (bad URL encoding, 414) and
// Node's client errors (431), and anything else.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type {
  FastifyError,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import {
  ApiError,
  PROBLEMS,
  problemOf,
  type ParameterError,
  type Problem,
  type ProblemCode,
} from '../errors.js';
import {
  INSTANT_OR_DATE_PATTERN,
  INSTANT_PATTERN,
  ISO_DATE_PATTERN,
  problemResponses,
} from '../schemas/common.js';

const PART: Record<string, ParameterError['in']> = {
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

/** Plain words for the patterns the schemas use. */
const PATTERN_WORDS: Record<string, string> = {
  [ISO_DATE_PATTERN]: 'must be a date YYYY-MM-DD',
  [INSTANT_PATTERN]: 'must be an RFC 3339 instant with an offset, e.g. 2026-04-01T09:00:00Z',
  [INSTANT_OR_DATE_PATTERN]:
    'must be a date YYYY-MM-DD or an RFC 3339 instant with an offset, e.g. 2026-04-01T09:00:00Z',
  '^[A-Z0-9]{3,5}$': 'must be an ODS code: 3 to 5 upper-case letters and digits',
};

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

function describe(error: AjvError): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a parameter of this route (names are case-sensitive)';
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    case 'pattern':
      return PATTERN_WORDS[String(error.params.pattern)] ?? `must match ${error.params.pattern}`;
    case 'format':
      return error.params.format === 'date-time'
        ? PATTERN_WORDS[INSTANT_PATTERN]!
        : `must be a ${error.params.format}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** One ParameterError per ajv error, deduplicated per parameter. */
export function parameterErrors(
  validation: readonly AjvError[],
  context: string | undefined,
): ParameterError[] {
  const where = PART[context ?? ''] ?? 'query';
  const seen = new Map<string, ParameterError>();
  for (const error of validation) {
    const name =
      error.keyword === 'required'
        ? String(error.params.missingProperty)
        : error.keyword === 'additionalProperties'
          ? String(error.params.additionalProperty)
          : error.instancePath.replace(/^\//, '').split('/')[0] || '(all)';
    if (!seen.has(name))
      seen.set(name, { in: where, name, pointer: `/${name}`, detail: describe(error) });
  }
  return [...seen.values()];
}

function send(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** The URL as a problem's `instance`, cut short: a hostile URL is not echoed whole. */
function shortUrl(url: string, max = 200): string {
  return url.length <= max ? url : `${url.slice(0, max)}…`;
}

/** Fastify's errors before routing: a URL that does not percent-decode, a parameter too long. */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
  error,
  request,
  reply,
) => {
  const instance = shortUrl(request.url, 100);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return send(
      reply,
      problemOf('URI_TOO_LONG', 'A path parameter exceeds 100 characters.', instance),
    );
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return send(
      reply,
      problemOf('BAD_URL', 'The path has an invalid percent-encoding (RFC 3986).', instance),
    );
  }
  return send(reply, problemOf('INVALID_PARAMETER', 'The request could not be routed.', instance));
};

/** Node's client errors, answered on the raw socket (no request was made): 431, else 400. */
export const clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> = (
  error: NodeJS.ErrnoException,
  socket: Socket,
) => {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const problem = problemOf(
    tooLarge ? 'HEADERS_TOO_LARGE' : 'INVALID_PARAMETER',
    tooLarge
      ? 'The request headers exceed the server limit (16 KiB).'
      : 'The request is not valid HTTP.',
    '',
  );
  const body = JSON.stringify({ ...problem, status: tooLarge ? 431 : 400 });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
};

/** A route template as a regular expression over paths: `:code` one segment, `*` the rest. */
function templatePattern(url: string): RegExp {
  const body = url
    .split('/')
    .map((part) =>
      part.startsWith(':')
        ? '[^/]+'
        : part === '*'
          ? '.*'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${body}$`);
}

const errorsPlugin: FastifyPluginAsync = async (app) => {
  /** Every route's path pattern and methods, to tell a wrong method (405) from no route (404). */
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    // Figure reads can be refused for load (work-limits.ts): every figure route documents it.
    const responses = route.schema?.response as Record<string, unknown> | undefined;
    if (responses && /\/(snapshot|series)$/.test(route.url)) {
      for (const [status, response] of Object.entries(problemResponses('BUSY')))
        responses[status] ??= response;
    }
    // A catch-all (the CORS preflight's `*`) matches every path: it says nothing of the path.
    if (route.url === '*' || route.url === '/*') return;
    const methods = [route.method].flat();
    routes.push({ pattern: templatePattern(route.url), methods });
  });
  const allowed = (path: string): string[] => {
    const methods = new Set<string>();
    for (const route of routes)
      if (route.pattern.test(path)) route.methods.forEach((m) => methods.add(m));
    return [...methods].sort();
  };

  app.setErrorHandler((error: FastifyError | ApiError, request: FastifyRequest, reply) => {
    const instance = request.url;
    if (error instanceof ApiError) {
      reply.headers(error.headers);
      return send(reply, problemOf(error.code, error.message, instance, error.errors));
    }
    if (error.validation) {
      const errors = parameterErrors(error.validation as AjvError[], error.validationContext);
      const detail = errors.map((e) => `${e.in} parameter '${e.name}' ${e.detail}`).join('; ');
      return send(reply, problemOf('INVALID_PARAMETER', detail, instance, errors));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad media type, body too large…): keep their status.
      request.log.info({ err: error }, 'request rejected');
      const code: ProblemCode = status === 404 ? 'ROUTE_NOT_FOUND' : 'INVALID_PARAMETER';
      return send(reply, {
        ...problemOf(code, error.message, instance),
        status,
        title: STATUS_CODES[status] ?? PROBLEMS[code].title,
      });
    }
    request.log.error({ err: error }, 'request failed');
    const code: ProblemCode = status === 503 ? 'UNAVAILABLE' : 'INTERNAL';
    return send(reply, problemOf(code, 'The request could not be completed.', instance));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const methods = allowed(path);
    if (methods.length > 0) {
      reply.header('allow', methods.join(', '));
      return send(
        reply,
        problemOf(
          'METHOD_NOT_ALLOWED',
          `${path} answers ${methods.join(', ')}, not ${request.method}.`,
          shortUrl(request.url),
        ),
      );
    }
    return send(
      reply,
      problemOf(
        'ROUTE_NOT_FOUND',
        `There is no ${request.method} ${shortUrl(path)}; see /docs for the API.`,
        shortUrl(request.url),
      ),
    );
  });
};

export default fp(errorsPlugin, { name: 'pulse-errors', fastify: '5.x' });
