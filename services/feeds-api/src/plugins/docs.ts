// OpenAPI 3.1 at /openapi.json (generated from the route schemas) and Swagger UI at /docs.
// Registered before the routes: @fastify/swagger collects them as they are added.
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { withComponents } from '../schemas/components.js';

export interface DocsOptions {
  /** Base URL for the document's `servers`; default the relative `/`. */
  publicUrl?: string;
  /** Service version shown in `info`. */
  version?: string;
}

const DESCRIPTION = `Live NHS activity figures per trust, ICB, NHS England region and England,
aggregated exactly once from every trust's event stream: snapshots (live gauges, today's and the
last hour's figures, with freshness and completeness) and time series, every figure split
child / adult / unknown. Errors are RFC 9457 problem details (\`application/problem+json\`).

Access tiers: without a token, the public tier (England exact, every other scope under
disclosure control); a bearer JWT with role \`national\` sees every scope exactly, one with role
\`icb\` its ICBs and their trusts exactly. Every figure-bearing response states its level in its
\`disclosure\` field and \`Disclosure\` header. A bad, expired or wrongly signed token is a 401.`;

const docs: FastifyPluginAsync<DocsOptions> = async (app, options) => {
  const publicUrl = options.publicUrl ?? '/';
  const version = options.version ?? '1.0.0';

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ICS Pulse feeds API',
        version,
        description: DESCRIPTION,
        contact: { name: 'ICS Pulse' },
      },
      servers: [{ url: publicUrl, description: 'This deployment' }],
      components: {
        securitySchemes: {
          bearerJwt: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'A JWT signed by a key of the configured JWKS, with iss, aud, sub and exp, and a ' +
              '`role` claim: `national` (every figure exact), `icb` with `icbs` (those ICBs and ' +
              'their trusts exact), or `operator` (/metrics). Without a token: the public tier.',
          },
        },
      },
      tags: [
        {
          name: 'snapshots',
          description: 'Live figures of one organisation now (or as of an instant).',
        },
        {
          name: 'series',
          description: 'One counter figure over time, per 15 minutes, hour or London day.',
        },
        {
          name: 'stream',
          description:
            'The live push feed (server-sent events) and the change log it follows, by pull.',
        },
        {
          name: 'organisations',
          description: 'The trust → ICB → region structure in force on a date.',
        },
        { name: 'operations', description: 'Health, readiness and metrics for operators.' },
      ],
    },
    // Shared shapes as components.schemas and $ref (schemas/components.ts).
    transformObject: (document) =>
      withComponents('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  });
  // Its own CSP for the static page (hashes of its inline parts), in place of helmet's default.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};

export default fp(docs, { name: 'pulse-docs', fastify: '5.x' });
