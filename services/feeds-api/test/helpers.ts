// A feeds-api built on the real Redis of the test run, the real figure store and the real
// reference data. Figures are written the way the aggregator writes them: plan, then apply.
import {
  bucketsOf,
  DAY_MS,
  FIGURE_FAMILY,
  londonDateOf,
  type AgeGroup,
  type CounterIncrement,
  type FigureFamily,
  type StateOp,
} from '@pulse/kpi';
import type { Redis } from '@pulse/redis';
import { loadRefData, type RefData } from '@pulse/refdata';
import { createFigureReader, createFigureStore, type PlanItem } from '@pulse/store';
import { redisPrefix, testLogger, testRedis } from '@pulse/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect, onTestFinished } from 'vitest';
import { buildApp, type AppConfig } from '../src/app.js';
import { PUBLIC_TIER_CONTROL } from '../src/disclosure.js';
import { DEV_PRIVATE_JWK } from '../src/auth/dev-key.js';
import { signToken, type TokenRequest } from '../src/auth/tokens.js';
import { createVerifier, type Verifier } from '../src/auth/verifier.js';
import type { AppDeps } from '../src/ports.js';
import { figuresFromReader } from '../src/figures.js';
import { createOpenApiChecker, type OpenApiChecker } from '@pulse/verify';
import { ACTIVITY_TOPIC } from '@pulse/topology';

export const TOPIC = ACTIVITY_TOPIC;
export const PARTITIONS = 2;
const MIN = 60_000;
const DAY = DAY_MS;

/** 09:07:30 UTC yesterday: recent, so no counter key has expired (expiries are absolute). */
export const T0 = Math.floor(Date.now() / DAY) * DAY - DAY + 9 * 60 * MIN + 7.5 * MIN;
/** Read as of 30 minutes after T0. */
export const AS_OF = T0 + 30 * MIN;

/** Lancashire Teaching Hospitals, in ICB QE1, region Y62 (North West). */
export const TRUST = 'RXN';
export const ICB = 'QE1';
export const REGION = 'Y62';

let refdata: RefData | undefined;
export const sharedRefData = (): RefData => (refdata ??= loadRefData());

/** The development-mode verifier: tokens signed by the development key. */
export const devVerifier = (): Promise<Verifier> =>
  createVerifier({
    keys: { kind: 'development' },
    issuer: 'urn:ics-pulse:auth',
    audience: 'urn:ics-pulse:feeds-api',
    production: false,
  });

/** A token signed by the development key (subject `test`, one hour, unless given). */
export const devToken = (request: Partial<TokenRequest> & Pick<TokenRequest, 'role'>) =>
  signToken({ subject: 'test', ...request }, DEV_PRIVATE_JWK);

let national: Promise<string> | undefined;
/** `Bearer <national token>`: what `get` sends unless told otherwise. */
export const nationalAuth = async () =>
  `Bearer ${await (national ??= devToken({ role: 'national' }))}`;

export interface TestApp {
  app: FastifyInstance;
  redis: Redis;
  prefix: string;
  /** Applies events for TRUST as one partition batch, as the aggregator would. */
  apply(events: TestEvent[]): Promise<void>;
  /** The app's OpenAPI checker (document read once). */
  checker(): Promise<OpenApiChecker>;
}

export interface TestEvent {
  at: number;
  /** The provider (default TRUST), attributed as the reference data says on the event's date. */
  trust?: string;
  /** Default: the family of the first counter, else of the first state op (as effectsOf says). */
  family?: FigureFamily;
  counters?: { figure: CounterIncrement['figure']; group?: AgeGroup; by?: number }[];
  state?: StateOp[];
}

let eventNo = 0;

function familyOf(e: TestEvent): FigureFamily {
  const counter = e.counters?.[0];
  if (counter) return FIGURE_FAMILY[counter.figure];
  const op = e.state?.[0];
  if (op?.op === 'open' || op?.op === 'close') return op.set === 'ed' ? 'ae' : 'rtt';
  return op?.op === 'beds' ? 'beds' : 'inpatient';
}

function attributionOf(refs: RefData, trust: string, at: number) {
  const r = refs.resolveProvider(trust, londonDateOf(at));
  if (r.status !== 'ok') throw new Error(`test trust ${trust} is not open on ${londonDateOf(at)}`);
  return { trust, icb: r.icb.code, region: r.region.code };
}

export async function testApp(
  config: Partial<AppConfig> = {},
  ready?: () => Promise<unknown>,
  extra: {
    /** Read another app's figures: its prefix (this app's apply() must not be used then). */
    prefix?: string;
    /** More dependencies, given this app's Redis and key prefix. */
    deps?: (redis: Redis, prefix: string) => Partial<AppDeps>;
    /**
     * Build the public tier's trees in worker threads, as in production (each thread loads the
     * TypeScript source through tsx and the reference data: seconds of CPU per app). Default: on
     * this thread with the same control (PUBLIC_TIER_CONTROL), as deps.disclosure selects;
     * tree-builder.test.ts and public-tier.test.ts cover the worker path.
     */
    workers?: boolean;
  } = {},
): Promise<TestApp> {
  const redis = await testRedis('feeds-api-test');
  const prefix = extra.prefix ?? redisPrefix('feeds-api').replace(/:$/, '');
  const refs = sharedRefData();
  const reader = createFigureReader(redis, {
    prefix,
    topic: TOPIC,
    partitions: PARTITIONS,
    refdata: refs,
  });
  const store = createFigureStore(redis, { prefix, topic: TOPIC, refdata: refs });
  const app = await buildApp(
    { corsOrigins: [], publicUrl: undefined, ...config },
    {
      refdata: refs,
      figures: figuresFromReader(reader),
      readiness: [{ name: 'redis', check: ready ?? (() => redis.ping()) }],
      logger: testLogger(),
      now: () => AS_OF,
      verify: await devVerifier(),
      limitStore: { redis, prefix },
      ...(extra.workers ? {} : { disclosure: PUBLIC_TIER_CONTROL }),
      ...extra.deps?.(redis, prefix),
    },
  );
  onTestFinished(() => app.close());
  let offset = 0;
  let checker: OpenApiChecker | undefined;

  return {
    app,
    redis,
    prefix,
    async apply(events) {
      const items: PlanItem[] = events.map((e) => ({
        eventId: `feeds-api-test-${++eventNo}`,
        providerOds: e.trust ?? TRUST,
        occurredAt: e.at,
        attribution: attributionOf(refs, e.trust ?? TRUST, e.at),
        buckets: bucketsOf(e.at),
        effects: {
          family: e.family ?? familyOf(e),
          counters: (e.counters ?? []).map((c) => ({
            figure: c.figure,
            group: c.group ?? 'adult',
            by: c.by ?? 1,
          })),
          state: e.state ?? [],
        },
      }));
      const partition = 1;
      const probe = await store.probe(partition, items);
      const plan = store.plan({
        partition,
        firstOffset: String(offset),
        nextOffset: String(offset + items.length),
        items,
        storedOffset: probe.storedOffset,
        seen: probe.seen,
        discharged: probe.discharged,
        sampledUntil: probe.sampledUntil,
        resolve: (ods, date) => {
          const r = refs.resolveProvider(ods, date);
          return r.status === 'ok' ? { icb: r.icb.code, region: r.region.code } : undefined;
        },
        clock: AS_OF,
      });
      expect(await store.apply(plan)).toEqual({ applied: true });
      offset += items.length;
    },
    async checker() {
      if (!checker) {
        const res = await app.inject({ method: 'GET', url: '/openapi.json' });
        checker = createOpenApiChecker(res.json());
      }
      return checker;
    },
  };
}

/**
 * GETs a URL with a national token (exact figures; `authorization: ''` sends none) and checks the
 * response against the document.
 */
export async function get(
  t: TestApp,
  url: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const sent: Record<string, string> = { authorization: await nationalAuth(), ...headers };
  if (sent.authorization === '') delete sent.authorization;
  const res = await t.app.inject({ method: 'GET', url, headers: sent });
  const checker = await t.checker();
  const problems = checker.check({
    method: 'GET',
    url,
    statusCode: res.statusCode,
    contentType: res.headers['content-type'] as string | undefined,
    body: res.statusCode === 304 ? '' : res.body,
  });
  expect(problems, `${url} -> ${res.statusCode} ${res.body.slice(0, 300)}`).toEqual([]);
  return res;
}

export const iso = (ms: number) => new Date(ms).toISOString();
