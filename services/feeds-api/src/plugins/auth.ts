// Authentication, tiers and audit on every route. Each request's bearer token is verified before
// anything else (no token: the public tier; a bad one: 401). Figure-bearing responses (routes with
// `config.figures`) get their disclosure level from the token and the scope (auth/access.ts): the
// body says it (`disclosure`) and so does the `Disclosure` header; a public-tier body below
// national level goes through disclosure control (@pulse/disclosure, one body at a time).
// /metrics needs an operator token. Every request that carried a token
// is audited once: subject, role, route, scope, outcome; never figures.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { londonDateOf } from '@pulse/kpi';
import type { Logger } from '@pulse/logging';
import type { RefData } from '@pulse/refdata';
import { disclosureFor, type Disclosure } from '../auth/access.js';
import { PUBLIC, type Principal, type Verifier } from '../auth/verifier.js';
import { ApiError, type ProblemCode } from '../errors.js';
import { problemResponses } from '../schemas/common.js';
import { bodyEtag } from './http-cache.js';

/** The public-tier form of a body (@pulse/disclosure): same shape, small counts suppressed. */
export interface DisclosureControl {
  snapshot(body: FigureBody): FigureBody;
  series(body: FigureBody): FigureBody;
}

interface FigureBody {
  scope: { kind: 'england' | 'region' | 'icb' | 'trust'; code?: string };
  londonDate?: string;
  from?: string;
  to?: string;
  [key: string]: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking, once the token (if any) is verified. */
    principal: Principal;
    /** Why the token was refused, for the audit line. */
    authFailure: string | undefined;
  }
  interface FastifyContextConfig {
    /**
     * The route's body is figures of this kind: it gets a disclosure level (`series-list`: a
     * `series` array of series bodies, each its own).
     */
    figures?: 'snapshot' | 'series' | 'series-list';
  }
}

export interface AuthOptions {
  verify: Verifier;
  /** Disclosure control of public-tier bodies below national level. */
  control: DisclosureControl;
  /** Where the audit lines go (pino; one JSON line each). */
  audit: Logger;
  refdata: RefData;
}

/** The OpenAPI security scheme of bearer tokens (plugins/docs.ts declares it). */
export const BEARER_SCHEME = 'bearerJwt';

/** The response header stating the disclosure level of a figure-bearing response. */
export const DISCLOSURE_HEADER = 'disclosure';

const SCOPE_OF_ROUTE = /^\/v1\/(england|regions|icbs|trusts)\b/;

function scopeOfRequest(request: FastifyRequest): string | undefined {
  const kind = SCOPE_OF_ROUTE.exec(request.routeOptions.url ?? '')?.[1];
  if (!kind) return undefined;
  const code = (request.params as { code?: string } | undefined)?.code;
  return code ? `${kind}/${code}` : kind;
}

function outcomeOf(status: number): string {
  if (status < 400) return 'served';
  if (status === 401 || status === 403) return 'denied';
  if (status === 429 || status === 503) return 'limited';
  return status < 500 ? 'refused' : 'failed';
}

const auth: FastifyPluginAsync<AuthOptions> = async (app, options) => {
  const { verify, control, audit, refdata } = options;
  app.decorateRequest<Principal | null>('principal', null);
  app.decorateRequest('authFailure', undefined);

  // Each operation documents its security and the problems authentication adds.
  app.addHook('onRoute', (route) => {
    if (!route.schema || route.schema.hide) return;
    const operator = route.url === '/metrics';
    route.schema.security = operator ? [{ [BEARER_SCHEME]: [] }] : [{}, { [BEARER_SCHEME]: [] }];
    const responses = (route.schema.response ??= {}) as Record<string, unknown>;
    const codes: ProblemCode[] = ['INVALID_TOKEN'];
    if (route.url !== '/healthz' && route.url !== '/readyz') codes.push('RATE_LIMITED');
    if (operator) codes.push('FORBIDDEN');
    for (const [status, response] of Object.entries(problemResponses(...codes)))
      responses[status] ??= response;
  });

  app.addHook('onRequest', async (request) => {
    request.principal = PUBLIC;
    try {
      request.principal = await verify(request.headers.authorization);
    } catch (err) {
      request.authFailure = err instanceof Error ? err.message : String(err);
      throw err;
    }
    if (request.routeOptions.url === '/metrics') {
      if (request.principal.kind === 'public') {
        throw new ApiError('INVALID_TOKEN', '/metrics needs an operator token.', {
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
      if (request.principal.role !== 'operator') {
        throw new ApiError(
          'FORBIDDEN',
          `/metrics needs the operator role, not ${request.principal.role}.`,
        );
      }
    }
  });

  /** One body's level for this principal, and the body at that level. */
  const disclose = (
    principal: Principal,
    kind: 'snapshot' | 'series',
    body: FigureBody,
  ): [Disclosure, FigureBody] => {
    const [first, last] =
      kind === 'snapshot'
        ? [body.londonDate!, body.londonDate!]
        : [londonDateOf(Date.parse(body.from!)), londonDateOf(Date.parse(body.to!) - 1)];
    const level: Disclosure = disclosureFor(principal, body.scope, first, last, refdata);
    return [level, level === 'exact' ? { ...body, disclosure: 'exact' } : control[kind](body)];
  };

  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    const kind = request.routeOptions.config.figures;
    if (kind === undefined || reply.statusCode !== 200) return payload;
    let level: Disclosure;
    let body: unknown;
    if (kind === 'series-list') {
      // Each series at its own level; the response is exact only if every series is.
      const list = payload as { series: FigureBody[] };
      const disclosed = list.series.map((series) => disclose(request.principal, 'series', series));
      level = disclosed.every(([l]) => l === 'exact') ? 'exact' : 'controlled';
      body = { ...list, series: disclosed.map(([, series]) => series) };
    } else {
      [level, body] = disclose(request.principal, kind, payload as FigureBody);
    }
    reply.header(DISCLOSURE_HEADER, level);
    // A tag made over the exact figures must not validate the controlled body.
    const etag = reply.getHeader('etag');
    if (level === 'controlled' && typeof etag === 'string')
      reply.header('etag', bodyEtag(`${etag}:controlled`));
    return body;
  });

  app.addHook('onResponse', async (request, reply) => {
    const principal = request.principal;
    const tokenSent = request.headers.authorization !== undefined;
    if (!tokenSent) return;
    const status = reply.statusCode;
    audit.info(
      {
        audit: true,
        subject: principal?.kind === 'token' ? principal.subject : null,
        role: principal?.kind === 'token' ? principal.role : null,
        icbs: principal?.kind === 'token' && principal.role === 'icb' ? principal.icbs : undefined,
        method: request.method,
        route: request.routeOptions.url ?? null,
        scope: scopeOfRequest(request) ?? null,
        status,
        outcome: outcomeOf(status),
        disclosure: reply.getHeader(DISCLOSURE_HEADER) ?? undefined,
        reason: request.authFailure,
        requestId: request.id,
      },
      'audit',
    );
  });
};

export default fp(auth, { name: 'pulse-auth', fastify: '5.x', dependencies: ['pulse-errors'] });
