// Verifying bearer tokens: the signature against the configured keys (a JWKS file or URL, or the
// development key in development mode), the issuer, the audience and the expiry, then the role
// claims. A request with no token is the public tier; any token that fails is a 401, never a
// silent downgrade to public.
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as jose,
  exportJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { ApiError } from '../errors.js';
import { DEV_JWKS, DEV_KID, devKeyThumbprint } from './dev-key.js';
import { ROLES, type Role } from './tokens.js';

/** Who is asking: the public (no token), or a verified token's subject and grants. */
export type Principal =
  { kind: 'public' } | { kind: 'token'; subject: string; role: Role; icbs: readonly string[] };

export const PUBLIC: Principal = { kind: 'public' };

/** Where the keys come from. */
export type KeySource =
  { kind: 'jwks'; jwks: JSONWebKeySet } | { kind: 'url'; url: string } | { kind: 'development' };

export interface AuthSettings {
  keys: KeySource;
  issuer: string;
  audience: string;
  /** Production: the development key is refused wherever it appears. */
  production: boolean;
}

/** Algorithms accepted (asymmetric only: the API holds no secret that could sign). */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
/** Clock skew allowed on exp/nbf/iat, in seconds. */
const CLOCK_TOLERANCE_S = 30;
const ICB_CODE = /^[A-Z0-9]{3,5}$/;

function invalid(detail: string, cause?: unknown): ApiError {
  const description = detail.replaceAll('"', "'");
  return new ApiError('INVALID_TOKEN', detail, {
    cause,
    headers: {
      'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
    },
  });
}

/** The verification key set, refusing the development key in production. */
async function keySet(settings: AuthSettings): Promise<JWTVerifyGetKey> {
  const { keys, production } = settings;
  if (keys.kind === 'development') {
    if (production) throw new Error('production mode never accepts the development key');
    return createLocalJWKSet(DEV_JWKS);
  }
  const dev = await devKeyThumbprint();
  if (keys.kind === 'jwks') {
    for (const key of keys.jwks.keys) {
      if (production && (await calculateJwkThumbprint(key)) === dev) {
        throw new Error('the configured JWKS holds the development key, refused in production');
      }
    }
    return createLocalJWKSet(keys.jwks);
  }
  const remote = createRemoteJWKSet(new URL(keys.url));
  if (!production) return remote;
  // A key served by the URL is checked once per key object, the first time it verifies.
  const checked = new WeakSet<object>();
  return async (header, token) => {
    const key = await remote(header, token);
    if (!checked.has(key)) {
      if ((await calculateJwkThumbprint(await exportJWK(key))) === dev) {
        throw invalid('the token is signed with the development key');
      }
      checked.add(key);
    }
    return key;
  };
}

function grants(payload: Record<string, unknown>): { role: Role; icbs: string[] } {
  const role = payload.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw invalid(`the role claim must be one of ${ROLES.join(', ')}`);
  }
  if (role !== 'icb') return { role: role as Role, icbs: [] };
  const icbs = payload.icbs;
  if (
    !Array.isArray(icbs) ||
    icbs.length === 0 ||
    !icbs.every((c) => typeof c === 'string' && ICB_CODE.test(c))
  ) {
    throw invalid('an icb token needs an icbs claim: a non-empty list of ICB codes');
  }
  return { role: 'icb', icbs: icbs as string[] };
}

function reason(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof jose.JWTExpired) return invalid('the token has expired', err);
  if (err instanceof jose.JWTClaimValidationFailed) {
    return invalid(`the token's ${err.claim} claim is not valid (${err.reason})`, err);
  }
  if (err instanceof jose.JWSSignatureVerificationFailed)
    return invalid('the token signature does not verify', err);
  if (err instanceof jose.JWKSNoMatchingKey)
    return invalid('no configured key matches the token', err);
  if (err instanceof jose.JOSEAlgNotAllowed)
    return invalid(`the token algorithm is not one of ${ALGORITHMS.join(', ')}`, err);
  if (err instanceof jose.JWKSTimeout || err instanceof jose.JOSEError) {
    return invalid('the token could not be verified', err);
  }
  return invalid('the token could not be verified', err);
}

export type Verifier = (authorization: string | undefined) => Promise<Principal>;

/**
 * A verified token is remembered (by its exact text) until its expiry, and at most this long, so
 * that a key withdrawn from a JWKS stops being honoured within it.
 */
const REMEMBER_MS = 60_000;
/** Distinct tokens remembered at once (least recently used go first). */
const REMEMBERED_TOKENS = 10_000;

export interface VerifierOptions {
  /** The clock (ms since the epoch), for tests; default Date.now. */
  now?: () => number;
}

/**
 * The verifier of Authorization headers; rejects with a 401 ApiError saying why. A signature check
 * costs more than answering a cached snapshot, so a token that verified is remembered until it
 * expires (at most REMEMBER_MS); a token that failed is checked again each time.
 */
export async function createVerifier(
  settings: AuthSettings,
  options: VerifierOptions = {},
): Promise<Verifier> {
  const keys = await keySet(settings);
  const now = options.now ?? Date.now;
  const remembered = new LRUCache<string, { principal: Principal; until: number }>({
    max: REMEMBERED_TOKENS,
  });
  return async (authorization) => {
    if (authorization === undefined) return PUBLIC;
    const match = /^Bearer ([A-Za-z0-9\-_.]+)$/.exec(authorization.trim());
    if (!match) throw invalid('the Authorization header must be "Bearer <JWT>"');
    const token = match[1]!;
    const known = remembered.get(token);
    if (known && known.until > now()) return known.principal;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now()),
      });
      if (settings.production && protectedHeader.kid === DEV_KID) {
        throw invalid('the token is signed with the development key');
      }
      const principal: Principal = { kind: 'token', subject: payload.sub!, ...grants(payload) };
      const until = Math.min(payload.exp! * 1000, now() + REMEMBER_MS);
      remembered.set(token, { principal, until });
      return principal;
    } catch (err) {
      remembered.delete(token);
      throw reason(err);
    }
  };
}
