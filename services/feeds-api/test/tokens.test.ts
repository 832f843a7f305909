// Development tokens and production keys: `npm run token` signs what a development-mode API
// accepts; production never accepts the development key, from a file, a URL or a token's kid.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DEV_JWKS, DEV_KID, DEV_PRIVATE_JWK } from '../src/auth/dev-key.js';
import { tokenCommand } from '../src/auth/token-command.js';
import { signToken } from '../src/auth/tokens.js';
import { createVerifier, type AuthSettings } from '../src/auth/verifier.js';
import { devVerifier } from './helpers.js';

const names = { issuer: 'urn:ics-pulse:auth', audience: 'urn:ics-pulse:feeds-api' };

async function serveJwks(jwks: object): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
}

describe('tokens', () => {
  it('should stop accepting a remembered token once it has expired', async () => {
    let clock = Date.now();
    const verify = await createVerifier(
      { ...names, production: false, keys: { kind: 'development' } },
      { now: () => clock },
    );
    const token = `Bearer ${await signToken({ role: 'national', subject: 's', ttlSeconds: 120 }, DEV_PRIVATE_JWK)}`;
    expect(await verify(token)).toMatchObject({ kind: 'token', role: 'national' });
    clock += 30_000; // remembered
    expect(await verify(token)).toMatchObject({ kind: 'token', role: 'national' });
    clock += 121_000; // past its expiry and the 30 s clock tolerance
    await expect(verify(token)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
      message: 'the token has expired',
    });
  });

  it('token command should print tokens the development verifier accepts with their grants', async () => {
    const verify = await devVerifier();
    const national = await tokenCommand(['--role', 'national']);
    expect(national.exitCode).toBe(0);
    expect(await verify(`Bearer ${national.stdout.trim()}`)).toMatchObject({
      kind: 'token',
      role: 'national',
      subject: 'dev-national',
    });
    const icb = await tokenCommand(['--role', 'icb', '--icb', 'D7T5G']);
    expect(await verify(`Bearer ${icb.stdout.trim()}`)).toMatchObject({
      role: 'icb',
      icbs: ['D7T5G'],
    });
    for (const bad of [
      [],
      ['--role', 'king'],
      ['--role', 'icb'],
      ['--role', 'icb', '--icb', 'x'],
      ['--bogus'],
    ]) {
      const result = await tokenCommand(bad);
      expect(result.exitCode, bad.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^token: .+\n$/);
    }
  });

  it('production should refuse the development key from a JWKS file, a URL or a kid', async () => {
    const production = (keys: AuthSettings['keys']) =>
      createVerifier({ ...names, production: true, keys });
    await expect(production({ kind: 'development' })).rejects.toThrow(/development key/);
    await expect(production({ kind: 'jwks', jwks: DEV_JWKS })).rejects.toThrow(/development key/);

    const devSigned = (await tokenCommand(['--role', 'national'])).stdout.trim();
    const fromUrl = await production({ kind: 'url', url: await serveJwks(DEV_JWKS) });
    await expect(fromUrl(`Bearer ${devSigned}`)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
      message: 'the token is signed with the development key',
    });

    // A real key that happens to reuse the development kid is refused too, by its kid.
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), alg: 'ES256', kid: DEV_KID };
    const verify = await production({ kind: 'jwks', jwks: { keys: [jwk] } });
    const token = await signToken(
      { role: 'national', subject: 's' },
      { ...(await exportJWK(privateKey)), alg: 'ES256', kid: DEV_KID },
    );
    await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });

    // A production key set verifies its own tokens.
    const own = await generateKeyPair('ES256', { extractable: true });
    const ownJwk = { ...(await exportJWK(own.publicKey)), alg: 'ES256', kid: 'prod-1' };
    const prod = await production({ kind: 'url', url: await serveJwks({ keys: [ownJwk] }) });
    const signed = await signToken(
      { role: 'icb', icbs: ['QE1'], subject: 'team' },
      { ...(await exportJWK(own.privateKey)), alg: 'ES256', kid: 'prod-1' },
    );
    expect(await prod(`Bearer ${signed}`)).toMatchObject({ role: 'icb', icbs: ['QE1'] });
    await expect(prod(`Bearer ${devSigned}`)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });
});
