// The Fastify instance every service starts from: its logger a child of the service's root
// logger, the request id taken from a proxy's x-request-id, 503 for requests arriving while it
// closes, and connections closed cleanly on close (connections.ts). It never listens; main does.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { Logger } from '@pulse/logging';
import gracefulConnections from './connections.js';

export interface ServiceAppOptions {
  /** The service's root logger; requests are logged through its child `{ component: 'http' }`. */
  logger?: Logger;
  /** Report every bad parameter, not only the first (default true). */
  allErrors?: boolean;
  /**
   * Answer a property a schema does not declare (`additionalProperties: false`) with a
   * validation error instead of dropping it silently (default false: Fastify's stripping).
   */
  rejectUnknown?: boolean;
  /** Fastify's handler for its own errors before routing (bad URL encoding, a too long parameter). */
  frameworkErrors?: FastifyServerOptions['frameworkErrors'];
  /** Node's `clientError` handler (headers too large, malformed requests): what goes on the socket. */
  clientErrorHandler?: FastifyServerOptions['clientErrorHandler'];
}

export async function createServiceApp(options: ServiceAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger
      ? { loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger }
      : { logger: false }),
    ajv: {
      customOptions: {
        allErrors: options.allErrors ?? true,
        ...(options.rejectUnknown ? { removeAdditional: false } : {}),
      },
    },
    ...(options.frameworkErrors ? { frameworkErrors: options.frameworkErrors } : {}),
    ...(options.clientErrorHandler ? { clientErrorHandler: options.clientErrorHandler } : {}),
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
  });
  await app.register(gracefulConnections);
  return app;
}
