// The API's bearer tokens: signed JWTs whose claims give the caller's role and, for an ICB team,
// the ICB codes it is granted. Signing is for development and tests (`npm run token`); a
// deployment's tokens come from its identity provider, signed with keys it publishes as a JWKS.
import { importJWK, SignJWT, type JWK } from 'jose';

/** national: everything exactly; icb: its ICB(s) and their trusts exactly; operator: /metrics. */
export const ROLES = ['national', 'icb', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Defaults of the `iss` and `aud` claims the API checks (AUTH_ISSUER, AUTH_AUDIENCE). */
export const DEFAULT_ISSUER = 'urn:ics-pulse:auth';
export const DEFAULT_AUDIENCE = 'urn:ics-pulse:feeds-api';

export interface TokenRequest {
  role: Role;
  /** ICB codes granted, for the icb role. */
  icbs?: readonly string[];
  /** The `sub` claim: who the token is for. */
  subject: string;
  /** Lifetime in seconds (default one hour). */
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
  /** Issue time, epoch ms (default now). */
  now?: number;
}

/** Signs a token with a private JWK (its `alg` and `kid` go in the header). */
export async function signToken(request: TokenRequest, privateJwk: JWK): Promise<string> {
  const alg = privateJwk.alg ?? 'ES256';
  const key = await importJWK(privateJwk, alg);
  const iat = Math.floor((request.now ?? Date.now()) / 1000);
  const claims: Record<string, unknown> = { role: request.role };
  if (request.icbs) claims.icbs = [...request.icbs];
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT', ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) })
    .setSubject(request.subject)
    .setIssuer(request.issuer ?? DEFAULT_ISSUER)
    .setAudience(request.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (request.ttlSeconds ?? 3_600))
    .sign(key);
}
