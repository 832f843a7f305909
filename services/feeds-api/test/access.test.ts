// Who may see what: the full access matrix, every route x {no token, national, own ICB, other
// ICB, expired, bad signature}, plus the operator role, the April 2026 mergers, the public tier
// without disclosure control (refused, never exact) and the audit log.
import { generateKeyPair, exportJWK } from 'jose';
import { Writable } from 'node:stream';
import { createLogger } from '@pulse/logging';
import { describe, expect, it } from 'vitest';
import { DEV_KID } from '../src/auth/dev-key.js';
import { signToken } from '../src/auth/tokens.js';
import type { Family } from '@pulse/disclosure';
import type { TreeControl } from '../src/public-tier.js';
import { AS_OF, devToken, get, sharedRefData, testApp, type TestApp } from './helpers.js';
import { memoryLog } from './stream/memory-log.js';

const OWN_ICB = 'QE1'; // RXN's ICB, in region Y62
const OTHER_ICB = 'D7T5G';
const TRUST = 'RXN';
const REGION = 'Y62';
const DAY = 86_400_000;

/** Marks the bodies that went through control (in the scope's name), so the test sees which did;
 * no suppression here: that is @pulse/disclosure's, tested there and in public-tier.test.ts. */
const MARK = ' [controlled]';
const mark = <B extends { scope: object }>(body: B): B => ({
  ...body,
  scope: { ...body.scope, name: `${(body.scope as { name: string }).name}${MARK}` },
});
const markTree = <B extends { scope: object }>(tree: Family<B>): Family<B> => ({
  body: mark(tree.body),
  ...(tree.children ? { children: tree.children.map(markTree) } : {}),
});
const marker: TreeControl = { snapshotTree: markTree, seriesTree: markTree };

/** A national token signed by a key that is not the configured one, under the dev key's kid. */
async function wronglySigned(): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: DEV_KID };
  return signToken({ role: 'national', subject: 'forger' }, jwk);
}

type Who = 'none' | 'national' | 'own ICB' | 'other ICB' | 'expired' | 'bad signature';

async function tokens(): Promise<Record<Who, string>> {
  return {
    none: '',
    national: `Bearer ${await devToken({ role: 'national' })}`,
    'own ICB': `Bearer ${await devToken({ role: 'icb', icbs: [OWN_ICB] })}`,
    'other ICB': `Bearer ${await devToken({ role: 'icb', icbs: [OTHER_ICB] })}`,
    expired: `Bearer ${await devToken({ role: 'national', now: Date.now() - 2 * 3_600_000 })}`,
    'bad signature': `Bearer ${await wronglySigned()}`,
  };
}

const day = new Date(AS_OF).toISOString().slice(0, 10);
const next = new Date(AS_OF + DAY).toISOString().slice(0, 10);
const seriesQuery = `?metric=ed_attendances&interval=1h&from=${day}&to=${next}`;

/** Every documented path made concrete, with the disclosure each principal must get. */
function concrete(path: string): { url: string; exactFor: Who[] | 'all' | undefined } {
  const figures = /\/(snapshot|series)$/.test(path);
  const query = path.endsWith('/series') ? seriesQuery : '';
  if (path.startsWith('/v1/england')) return { url: path + query, exactFor: 'all' };
  // several series: here of one ICB's, as exact as that ICB's own series
  if (path === '/v1/series') {
    return {
      url: `${path}${seriesQuery}&scopes=icbs/${OWN_ICB}`,
      exactFor: ['national', 'own ICB'],
    };
  }
  const scopes: [string, string, Who[]][] = [
    ['/v1/regions/{code}', REGION, ['national']],
    ['/v1/icbs/{code}', OWN_ICB, ['national', 'own ICB']],
    ['/v1/trusts/{code}', TRUST, ['national', 'own ICB']],
  ];
  for (const [prefix, code, exact] of scopes) {
    if (path.startsWith(prefix))
      return { url: path.replace('{code}', code) + query, exactFor: exact };
  }
  return { url: path, exactFor: figures ? [] : undefined };
}

describe('access', () => {
  it('every route x every principal should give the right status and disclosure', async () => {
    const t = await testApp({}, undefined, { deps: () => ({ disclosure: marker }) });
    const doc = (await t.app.inject('/openapi.json')).json();
    // The push feed's routes hold a connection open; their access rule (England public, other
    // scopes only exact) is tested in stream/routes.test.ts against a real change log.
    const paths = [...Object.keys(doc.paths), '/openapi.json', '/docs/'].filter(
      (path) => !/\/(stream|changes)$/.test(path),
    );
    expect(paths.length).toBeGreaterThan(15);
    const who = await tokens();
    const seen: string[] = [];
    for (const path of paths) {
      const { url, exactFor } = concrete(path);
      for (const [name, authorization] of Object.entries(who) as [Who, string][]) {
        const where = `${name} ${url}`;
        const res =
          path === '/openapi.json' || path === '/docs/'
            ? await t.app.inject({ url, headers: authorization ? { authorization } : {} })
            : await get(t, url, { authorization });
        seen.push(`${where} ${res.statusCode}`);
        if (name === 'expired' || name === 'bad signature') {
          expect(res.statusCode, where).toBe(401);
          expect(res.json().code, where).toBe('INVALID_TOKEN');
          expect(res.headers['www-authenticate'], where).toMatch(/^Bearer error="invalid_token"/);
          continue;
        }
        if (path === '/metrics') {
          expect(res.statusCode, where).toBe(name === 'none' ? 401 : 403);
          continue;
        }
        expect(res.statusCode, where).toBe(200);
        if (exactFor === undefined) {
          expect(res.headers.disclosure, where).toBeUndefined();
          continue;
        }
        const exact = exactFor === 'all' || exactFor.includes(name);
        expect(res.headers.disclosure, where).toBe(exact ? 'exact' : 'controlled');
        const body = res.json();
        const scope = body.scope ?? body.series[0].scope;
        expect(scope.name.endsWith(MARK), where).toBe(!exact);
      }
    }
    // 17 documented routes + 2, by 6 principals.
    expect(seen.length).toBe(paths.length * 6);
  });

  it('the push feed x every principal should give the right status and disclosure', async () => {
    // England is public; a region, ICB or trust is exact for whoever may see it exactly. Otherwise
    // its stream is the public, disclosure-controlled one (stream/routes.test.ts checks what it
    // sends), and its change log is refused (403): an entry would tell a suppressed count from 0.
    const t = await testApp({ stream: { heartbeatMs: 1_000 } }, undefined, {
      deps: () => ({ changeLog: memoryLog() }),
    });
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const doc = (await t.app.inject('/openapi.json')).json();
    const paths = Object.keys(doc.paths).filter((path) => /\/(stream|changes)$/.test(path));
    expect(paths.length).toBe(8);
    const who = await tokens();
    let checked = 0;
    for (const path of paths) {
      const { url, exactFor } = concrete(path.replace(/\/(stream|changes)$/, ''));
      const target = `${base}${url}/${path.endsWith('/stream') ? 'stream' : 'changes'}`;
      for (const [name, authorization] of Object.entries(who) as [Who, string][]) {
        const where = `${name} ${target}`;
        const controller = new AbortController();
        const res = await fetch(target, {
          headers: authorization ? { authorization } : {},
          signal: controller.signal,
        });
        checked += 1;
        try {
          if (name === 'expired' || name === 'bad signature') {
            expect(res.status, where).toBe(401);
            continue;
          }
          const exact = exactFor === 'all' || (exactFor ?? []).includes(name);
          const stream = path.endsWith('/stream');
          expect(res.status, where).toBe(exact || stream ? 200 : 403);
          if (exact || stream) {
            expect(res.headers.get('disclosure'), where).toBe(exact ? 'exact' : 'controlled');
            if (stream)
              expect(res.headers.get('content-type'), where).toMatch(/^text\/event-stream/);
          } else {
            expect(((await res.json()) as { code: string }).code, where).toBe('FORBIDDEN');
          }
        } finally {
          controller.abort();
        }
      }
    }
    expect(checked).toBe(paths.length * 6);
  });

  it('an operator token should read /metrics and the readiness details, and public figures', async () => {
    const t = await testApp(
      {},
      async () => {
        throw new Error('redis at 10.1.2.3 refused');
      },
      { deps: () => ({ disclosure: marker }) },
    );
    const operator = `Bearer ${await devToken({ role: 'operator' })}`;
    expect((await get(t, '/metrics', { authorization: operator })).statusCode).toBe(200);
    const detailed = await get(t, '/readyz', { authorization: operator });
    expect(detailed.json().checks.redis.detail).toContain('refused');
    const hidden = await get(t, '/readyz', { authorization: '' });
    expect(hidden.json().checks.redis).toEqual({ status: 'failing' });
    const trust = await get(t, `/v1/trusts/${TRUST}/snapshot`, { authorization: operator });
    expect(trust.headers.disclosure).toBe('controlled');
  });

  it('the public tier below national level should go through @pulse/disclosure, national stays exact', async () => {
    const t = await testApp();
    await t.apply([{ at: AS_OF - 60_000, counters: [{ figure: 'ed_attendances', by: 3 }] }]);
    const url = `/v1/trusts/${TRUST}/snapshot`;
    const controlled = await get(t, url, { authorization: '' });
    expect(controlled.statusCode).toBe(200);
    expect(controlled.headers.disclosure).toBe('controlled');
    const body = controlled.json();
    expect(body.disclosure).toBe('controlled');
    // 3 attendances: a small count, suppressed.
    expect(body.today.counters.ed_attendances.adult).toBeNull();
    expect(body.suppressed).toContainEqual({
      path: '/today/counters/ed_attendances/adult',
      reason: 'suppressed',
    });
    const exact = (await get(t, url)).json();
    expect(exact.disclosure).toBe('exact');
    expect(exact.today.counters.ed_attendances.adult).toBe(3);
    const england = await get(t, '/v1/england/snapshot', { authorization: '' });
    expect(england.headers.disclosure).toBe('exact');
    expect(england.json().today.counters.ed_attendances.adult).toBe(3);
    // The controlled body has its own ETag: the exact one does not validate it.
    expect(controlled.headers.etag).not.toBe((await get(t, url)).headers.etag);
  });

  it('an ICB token should see a trust exactly only on the dates it belongs to that ICB (April 2026 mergers)', async () => {
    const t = await testApp({}, undefined, { deps: () => ({ disclosure: marker }) });
    const refdata = sharedRefData();
    const merged = refdata.resolveProvider('RAJ', '2026-04-02');
    const before = refdata.resolveProvider('RAJ', '2026-03-31');
    if (merged.status !== 'ok' || before.status !== 'ok') throw new Error('RAJ not resolved');
    expect(merged.icb.code).toBe('D7T5G');
    expect(before.icb.code).not.toBe('D7T5G');
    const essex = `Bearer ${await devToken({ role: 'icb', icbs: ['D7T5G'] })}`;
    const old = `Bearer ${await devToken({ role: 'icb', icbs: [before.icb.code] })}`;
    const at = (date: string) => `/v1/trusts/RAJ/snapshot?asOf=${date}T12:00:00Z`;
    const level = async (url: string, authorization: string) =>
      (await get(t, url, { authorization })).headers.disclosure;
    expect(await level(at('2026-04-02'), essex)).toBe('exact');
    expect(await level(at('2026-03-31'), essex)).toBe('controlled');
    expect(await level(at('2026-03-31'), old)).toBe('exact');
    expect(await level(at('2026-04-02'), old)).toBe('controlled');
    const across =
      '/v1/trusts/RAJ/series?metric=ed_attendances&interval=1d&from=2026-03-30&to=2026-04-03';
    expect(await level(across, essex)).toBe('controlled');
    const after =
      '/v1/trusts/RAJ/series?metric=ed_attendances&interval=1d&from=2026-04-01&to=2026-04-03';
    expect(await level(after, essex)).toBe('exact');
  });

  it('a token with a wrong issuer, audience, role or no ICB list should be a 401', async () => {
    const t = await testApp();
    for (const request of [
      { role: 'national' as const, issuer: 'urn:someone-else' },
      { role: 'national' as const, audience: 'urn:another-api' },
      { role: 'icb' as const },
      { role: 'admin' as never },
    ]) {
      const token = await devToken(request);
      const res = await get(t, '/v1/england/snapshot', { authorization: `Bearer ${token}` });
      expect(res.statusCode, JSON.stringify(request)).toBe(401);
    }
    const malformed = await get(t, '/v1/england/snapshot', { authorization: 'Basic abc' });
    expect(malformed.statusCode).toBe(401);
  });

  it('every request with a token should be audited once, with no figures', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = createLogger({ service: 'feeds-api-test', level: 'info', destination: sink });
    const t: TestApp = await testApp({}, undefined, {
      deps: () => ({ logger, disclosure: marker }),
    });
    await t.apply([{ at: AS_OF - 60_000, counters: [{ figure: 'ed_attendances', by: 3 }] }]);
    const icb = `Bearer ${await devToken({ role: 'icb', icbs: [OWN_ICB], subject: 'team-qe1' })}`;
    await get(t, `/v1/trusts/${TRUST}/snapshot`, { authorization: icb });
    await get(t, `/v1/icbs/${OTHER_ICB}/series${seriesQuery}`, { authorization: icb });
    await get(t, '/v1/england/snapshot', { authorization: '' });
    await get(t, '/v1/england/snapshot', { authorization: 'Bearer not.a.token' });
    await new Promise((resolve) => setImmediate(resolve));
    const audit = lines.filter((line) => line.audit === true);
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({
      component: 'audit',
      subject: 'team-qe1',
      role: 'icb',
      icbs: [OWN_ICB],
      route: '/v1/trusts/:code/snapshot',
      scope: `trusts/${TRUST}`,
      status: 200,
      outcome: 'served',
      disclosure: 'exact',
    });
    expect(audit[1]).toMatchObject({ scope: `icbs/${OTHER_ICB}`, disclosure: 'controlled' });
    expect(audit[2]).toMatchObject({ subject: null, status: 401, outcome: 'denied' });
    expect(audit[2]!.reason).toBe('the token could not be verified');
    const text = JSON.stringify(audit);
    expect(text).not.toContain('ed_attendances');
    expect(text).not.toMatch(/eyJ/); // no token
  });
});
