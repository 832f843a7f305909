// Authentication, tiers and audit on every route. Each request's bearer token is verified before
// anything else (no token: the public tier; a bad one: 401). Figure routes (snapshots, series,
// streams, changes) ask one question, `reply.disclose(scope, first, last)`: exact (the token sees
// the scope exactly: auth/access.ts), disclosure-controlled (serve the public tier's form, built
// from one controlled tree of the whole structure: src/public-tier.ts), or refused with a 403 when
// the route has no controlled form. The answer is stated in the `Disclosure` header (and by each
// body's `disclosure`). /metrics needs an operator token. Every request that carried a token is
// audited once: subject, role, route, scope, outcome, disclosure; never figures.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from '@pulse/logging';
import type { RefData } from '@pulse/refdata';
import { disclosureFor, type Disclosure, type ScopeRef } from '../auth/access.js';
import { PUBLIC, type Principal, type Verifier } from '../auth/verifier.js';
import { ApiError, type ProblemCode } from '../errors.js';
import { problemResponses } from '../schemas/common.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking, once the token (if any) is verified. */
    principal: Principal;
    /** Why the token was refused, for the audit line. */
    authFailure: string | undefined;
  }
  interface FastifyReply {
    /**
     * The one access decision of a figure route about `scope` over London dates first..last:
     * 'exact' or 'controlled', stated in the Disclosure header; with `refusal`, the route has no
     * controlled form and a caller who does not see the scope exactly gets a 403 saying it.
     */
    disclose(scope: ScopeRef, first: string, last: string, refusal?: string): Disclosure;
    /**
     * The same decision for each of several scopes of one response (each series of a list); the
     * header says exact only if every one is.
     */
    discloseEach(scopes: readonly ScopeRef[], first: string, last: string): Disclosure[];
  }
}

export interface AuthOptions {
  verify: Verifier;
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
  const { verify, audit, refdata } = options;
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

  app.decorateReply(
    'disclose',
    function (this: FastifyReply, scope: ScopeRef, first: string, last: string, refusal?: string) {
      const level = disclosureFor(this.request.principal, scope, first, last, refdata);
      if (level === 'controlled' && refusal !== undefined) throw new ApiError('FORBIDDEN', refusal);
      this.header(DISCLOSURE_HEADER, level);
      return level;
    },
  );
  app.decorateReply(
    'discloseEach',
    function (this: FastifyReply, scopes: readonly ScopeRef[], first: string, last: string) {
      const levels = scopes.map((scope) =>
        disclosureFor(this.request.principal, scope, first, last, refdata),
      );
      this.header(DISCLOSURE_HEADER, levels.every((l) => l === 'exact') ? 'exact' : 'controlled');
      return levels;
    },
  );

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
