// JSON Schemas of the operations routes, with descriptions and examples, so an app that documents
// its routes (@fastify/swagger) documents these too, and Fastify serialises the bodies by them.

const CHECK = {
  type: 'object',
  description: "One check's outcome.",
  properties: {
    status: { type: 'string', enum: ['ok', 'failing'], description: 'Whether it passed.' },
    detail: { type: 'string', description: 'What failed, when it did.' },
  },
  required: ['status'],
  additionalProperties: false,
} as const;

const READY_EXAMPLE = { status: 'ready', checks: { redis: { status: 'ok' } } };
const NOT_READY_EXAMPLE = {
  status: 'not ready',
  checks: { redis: { status: 'failing', detail: 'no answer in 2000 ms' } },
};

function readinessBody(description: string, example: object) {
  return {
    type: 'object',
    description,
    properties: {
      status: {
        type: 'string',
        enum: ['ready', 'not ready'],
        description: 'ready when every check passed.',
      },
      checks: {
        type: 'object',
        description: 'Each check by name.',
        additionalProperties: CHECK,
      },
    },
    required: ['status', 'checks'],
    additionalProperties: false,
    examples: [example],
  } as const;
}

export const HEALTHZ_SCHEMA = {
  tags: ['operations'],
  operationId: 'healthz',
  summary: 'Liveness',
  description: 'The process is up and serving HTTP. Touches no dependency.',
  response: {
    200: {
      type: 'object',
      description: 'The process is up.',
      properties: { status: { type: 'string', enum: ['ok'], description: 'Always ok.' } },
      required: ['status'],
      examples: [{ status: 'ok' }],
    },
  },
} as const;

export function readyzSchema(description: string) {
  return {
    tags: ['operations'],
    operationId: 'readyz',
    summary: 'Readiness',
    description,
    response: {
      200: readinessBody('Every check passed: the service can do its work.', READY_EXAMPLE),
      503: readinessBody('At least one check failed; each says why.', NOT_READY_EXAMPLE),
    },
  } as const;
}

export function metricsSchema(example: string) {
  return {
    tags: ['operations'],
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description: 'Process metrics, HTTP request counts and durations, and the service’s own.',
    response: {
      200: {
        description: 'Prometheus text exposition format.',
        content: {
          'text/plain': {
            schema: {
              type: 'string',
              description: 'Metrics in the Prometheus text format.',
              examples: [example],
            },
          },
        },
      },
    },
  } as const;
}
