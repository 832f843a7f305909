// Where main finds the keys: the configured JWKS file (read once at start) or URL, else in
// development mode the development key. Production without keys never gets here (config.ts).
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import type { FeedsApiConfig } from '../config.js';
import type { KeySource } from './verifier.js';

export async function keySource(auth: FeedsApiConfig['auth']): Promise<KeySource> {
  if (auth.jwksUrl !== undefined) return { kind: 'url', url: auth.jwksUrl };
  if (auth.jwksFile === undefined) return { kind: 'development' };
  const text = await readFile(auth.jwksFile, 'utf8');
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(text) as JSONWebKeySet;
  } catch {
    throw new Error(`AUTH_JWKS_FILE ${auth.jwksFile} is not JSON`);
  }
  if (!Array.isArray(jwks?.keys) || jwks.keys.length === 0) {
    throw new Error(
      `AUTH_JWKS_FILE ${auth.jwksFile} is not a JWKS: it needs a non-empty "keys" list`,
    );
  }
  return { kind: 'jwks', jwks };
}
