// Every failure becomes an RFC 9457 problem: our own ApiErrors, schema validation failures (one
// entry per bad parameter, with its name and JSON pointer), unknown routes and anything else.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  ApiError,
  PROBLEMS,
  problemOf,
  type ParameterError,
  type Problem,
  type ProblemCode,
} from '../errors.js';
import { INSTANT_OR_DATE_PATTERN, INSTANT_PATTERN, ISO_DATE_PATTERN } from '../schemas/common.js';

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
        : error.instancePath.replace(/^\//, '').split('/')[0] || '(all)';
    if (!seen.has(name))
      seen.set(name, { in: where, name, pointer: `/${name}`, detail: describe(error) });
  }
  return [...seen.values()];
}

function send(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

const errorsPlugin: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((error: FastifyError | ApiError, request: FastifyRequest, reply) => {
    const instance = request.url;
    if (error instanceof ApiError) {
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

  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      problemOf(
        'ROUTE_NOT_FOUND',
        `There is no ${request.method} ${request.url.split('?')[0]}; see /docs for the API.`,
        request.url,
      ),
    ),
  );
};

export default fp(errorsPlugin, { name: 'pulse-errors', fastify: '5.x' });
