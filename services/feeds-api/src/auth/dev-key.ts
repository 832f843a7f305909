// The development signing key: published here on purpose, so `npm run token` and `npm run demo`
// work on any machine with no set-up. Anyone can sign with it, so it is worth nothing outside
// development: in production mode the API refuses to start without configured keys, and refuses
// this key wherever it appears (a JWKS file, a JWKS URL, a token naming its kid).
import { calculateJwkThumbprint, type JWK } from 'jose';

export const DEV_KID = 'ics-pulse-development-key-1';

export const DEV_PRIVATE_JWK: JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'oX-Y_1xyVlfxM7DlpEX1sl61a3UOnUkyPvmXrFFRSsQ',
  y: '06lbQdEUR2fcPrCtzTgy1aAKmaKFvhpRj8VLuqvGVd0',
  d: 'UrI6PVvfG6gUWlbBBWOlHO4VU0-MAmj8hd7mtbCI2A4',
  alg: 'ES256',
  kid: DEV_KID,
};

const { d: _private, ...publicPart } = DEV_PRIVATE_JWK;
export const DEV_PUBLIC_JWK: JWK = { ...publicPart, use: 'sig' };

/** The JWKS the API trusts in development mode when no keys are configured. */
export const DEV_JWKS = { keys: [DEV_PUBLIC_JWK] };

let thumbprint: Promise<string> | undefined;
/** RFC 7638 thumbprint of the development key: how it is recognised under any kid. */
export const devKeyThumbprint = (): Promise<string> =>
  (thumbprint ??= calculateJwkThumbprint(DEV_PUBLIC_JWK));
