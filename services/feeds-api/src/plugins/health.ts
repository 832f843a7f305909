// /healthz: the process is up. /readyz: the readiness probe passes (in main: Redis answers and
// TOPIC_PARTITIONS covers the topic's partitions), so figures can be served.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { problemResponses } from '../schemas/common.js';
import { ApiError } from '../errors.js';

export interface HealthOptions {
  /** How long /readyz waits for the store before answering 503, in ms. */
  readyTimeoutMs?: number;
}

const Status = Type.Object(
  { status: Type.Enum(['ok'], { description: 'Always ok when answered.', examples: ['ok'] }) },
  { description: 'The check passed.', examples: [{ status: 'ok' }] },
);

const health: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  const readyTimeoutMs = options.readyTimeoutMs ?? 2_000;
  if (!(readyTimeoutMs > 0)) throw new RangeError('readyTimeoutMs must be > 0');
  const { ready } = app.pulse;

  app.get('/healthz', {
    schema: {
      tags: ['operations'],
      operationId: 'healthz',
      summary: 'Liveness',
      description: 'The process is up and serving HTTP. Does not touch Redis.',
      response: { 200: Status },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/readyz', {
    schema: {
      tags: ['operations'],
      operationId: 'readyz',
      summary: 'Readiness',
      description:
        'Redis answers PING and the activity topic has no partition beyond TOPIC_PARTITIONS with ' +
        'figures stored (an offset key for partition TOPIC_PARTITIONS), so complete figures can be ' +
        'served; a 503 problem naming the failed check otherwise.',
      response: { 200: Status, ...problemResponses('UNAVAILABLE') },
    },
    handler: async (request) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${readyTimeoutMs} ms`)),
          readyTimeoutMs,
        );
        timer.unref();
      });
      try {
        await Promise.race([ready(), timeout]);
      } catch (err) {
        // The probe's own problem (the partition count) is answered as it is.
        if (err instanceof ApiError) {
          request.log.warn({ err }, 'not ready');
          throw err;
        }
        request.log.warn({ err }, 'not ready: Redis unreachable');
        throw new ApiError('UNAVAILABLE', 'Redis is not reachable.', { cause: err });
      } finally {
        clearTimeout(timer);
      }
      return { status: 'ok' as const };
    },
  });
};

export default health;
