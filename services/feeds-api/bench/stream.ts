// The push feed under load: one feeds-api process (main.ts, as deployed) with 10,000 concurrent
// SSE subscribers spread over England, the regions, the ICBs and the trusts, while simulated
// activity for every open trust is published at England's peak rate (3,000 events/s) through
// Kafka, one aggregator process and Redis. Beside it, in the same run, a bare SSE endpoint
// (bench/bare-sse.ts) sends the same number of connections the same volume: one event per second
// each, of the size the feed's updates had. The subscribers live in their own process
// (bench/stream-clients.ts). Writes the "stream" section of docs/BENCHMARKS.md.
//
//   npm run bench -w feeds-api     (KAFKA_BROKERS and REDIS_URL from `npm run bench`)
//   PULSE_BENCH_STREAM_SUBSCRIBERS (default 10000), PULSE_BENCH_STREAM_SECONDS (default 30)
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import { createCodec } from '@pulse/contracts';
import { createKafka, createProducer } from '@pulse/kafka';
import { DAY_MS, londonDateOf } from '@pulse/kpi';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import {
  benchInfraFromEnv,
  createTopicWithDlq,
  deleteKeysWithPrefix,
  deleteTopicWithDlq,
  freePort,
  FROM_SOURCE_ARGS,
  startAggregator,
  startFromSource,
  stopProcess,
  untilOk,
} from '@pulse/testkit';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';
import { generateActivity } from 'simulator';
import { DEV_PRIVATE_JWK, signToken } from '../src/index.js';
import type { KindStats } from './stream-clients.js';

const SUBSCRIBERS = Number(process.env['PULSE_BENCH_STREAM_SUBSCRIBERS'] ?? 10_000);
const SECONDS = Number(process.env['PULSE_BENCH_STREAM_SECONDS'] ?? 30);
const RATE = 3_000;
/** STREAM_COALESCE_MS: the default, one update per scope per second at most. */
const COALESCE_MS = 1_000;
/** Shares of the subscribers per scope kind. */
const SHARES = { england: 0.1, region: 0.2, icb: 0.3, trust: 0.4 } as const;
const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));

const { brokers, redisUrl } = benchInfraFromEnv();
const logger = createLogger({ service: 'stream-bench', level: 'warn' });
const kafka = createKafka({ brokers, clientId: 'stream-bench', logger });
const refdata = loadRefData();
const codec = createCodec();
const machine = machineInfo();
console.log(`stream benchmark on ${describeMachine(machine)}`);
/** For /metrics. */
const operator = await signToken(
  { role: 'operator', subject: 'stream-bench', ttlSeconds: 3_600 },
  DEV_PRIVATE_JWK,
);

/** Resident memory (bytes) and CPU seconds so far of a process, from /proc. */
function usage(pid: number): { rss: number; cpu: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return { rss, cpu: (Number(fields[11]) + Number(fields[12])) / 100 };
}

interface Report {
  open: number;
  ended: number;
  failed: number;
  kinds: Record<string, KindStats>;
}

/** The subscribers' process, driven over IPC. */
function clients() {
  const child = fork(join(BENCH_DIR, 'stream-clients.ts'), [], {
    // The subscribers allocate a string per chunk received (about 50 MB/s): a young generation as
    // large as the server's, so the load generator's own pauses weigh less on what it measures.
    execArgv: [...FROM_SOURCE_ARGS, '--max-semi-space-size=64'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const on = (message: Record<string, unknown>) => {
        if (message['type'] !== type) return;
        child.off('message', on);
        resolve(message);
      };
      child.on('message', on);
    });
  return {
    child,
    async connect(
      base: string,
      token: string,
      targets: { path: string; kind: string; count: number }[],
    ) {
      const done = next('connected');
      child.send({ type: 'connect', base, token, targets, coalesceMs: COALESCE_MS });
      return (await done) as { open: number; failed: number; refused: Record<string, number> };
    },
    window: () => child.send({ type: 'window' }),
    async report(): Promise<Report> {
      const done = next('report');
      child.send({ type: 'report' });
      return (await done) as unknown as Report;
    },
    stop: async () => {
      child.disconnect();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** Subscribers per scope: SHARES of the total, spread evenly over the scopes of each kind. */
function targets(date: string, prefix: (kind: string, code?: string) => string) {
  const codes = {
    england: [undefined],
    region: refdata.regions(date).map((r) => r.code),
    icb: refdata.icbs(date).map((i) => i.code),
    trust: refdata.trusts(date).map((t) => t.odsCode),
  };
  return Object.entries(SHARES).flatMap(([kind, share]) => {
    const list = codes[kind as keyof typeof codes];
    const total = Math.round(SUBSCRIBERS * share);
    return list.map((code, i) => ({
      path: prefix(kind, code),
      kind,
      count: Math.floor(total / list.length) + (i < total % list.length ? 1 : 0),
    }));
  });
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** Publishes the simulator's events for every open trust at RATE, emittedAt = now, until stopped. */
function publish(topic: string, stop: AbortSignal): Promise<number> {
  const to = Date.now() - 60_000;
  const from = to - 3 * DAY_MS;
  const trusts = refdata.trusts(londonDateOf(from));
  // Three simulated days, then three more under another seed (new event ids), for as long as
  // the run lasts: a slow connection phase must not exhaust the source.
  const iterator = (function* () {
    for (let round = 0; ; round += 1) {
      yield* generateActivity({
        seed: `stream-bench-${round}`,
        from,
        to,
        trusts,
        openTrusts: trusts,
        rttScale: 0,
      });
    }
  })();
  const producer = createProducer(kafka);
  return (async () => {
    await producer.connect();
    const start = Date.now();
    let sent = 0;
    try {
      while (!stop.aborted) {
        const due = Math.floor(((Date.now() - start) * RATE) / 1000);
        if (due <= sent) {
          await sleep(5);
          continue;
        }
        const now = Date.now();
        const messages = [];
        // At most 2,000 a request (as the simulator sends), however far behind the schedule.
        while (sent + messages.length < due && messages.length < 2_000) {
          const next = iterator.next();
          if (next.done || next.value.occurredAt < from) continue;
          messages.push({
            key: next.value.providerOds,
            value: codec.encode({ ...next.value, emittedAt: now }),
          });
        }
        await producer.send({ topic, messages });
        sent += messages.length;
      }
      return sent / ((Date.now() - start) / 1000);
    } finally {
      await producer.disconnect();
    }
  })();
}

/**
 * The server's event-loop delay p99 in ms since the last call (prom-client's default metric, reset
 * on every scrape of /metrics); NaN for a server without it.
 */
async function eventLoopP99(base: string): Promise<number> {
  const res = await fetch(`${base}/metrics`, {
    headers: { authorization: `Bearer ${operator}` },
  }).catch(() => undefined);
  if (!res?.ok) return NaN;
  const line = /^feeds_api_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(await res.text());
  return line ? Number(line[1]) * 1000 : NaN;
}

interface Phase {
  report: Report;
  /** The server's event-loop delay p99 over the window, ms. */
  eventLoopP99: number;
  rssBefore: number;
  rssAfter: number;
  cpuSeconds: number;
  seconds: number;
  connectSeconds: number;
}

async function measure(
  server: ChildProcess,
  base: string,
  plan: { path: string; kind: string; count: number }[],
  token: string,
): Promise<Phase> {
  const subscribers = clients();
  try {
    const before = usage(server.pid!);
    const connectStart = Date.now();
    const connected = await subscribers.connect(base, token, plan);
    const connectSeconds = (Date.now() - connectStart) / 1000;
    if (connected.failed > 0) {
      const why = Object.entries(connected.refused).map(([status, n]) => `${n} × HTTP ${status}`);
      console.warn(
        `${connected.failed} subscribers could not connect (${why.join(', ') || 'errors'})`,
      );
    }
    await sleep(5_000);
    subscribers.window();
    await eventLoopP99(base);
    const start = usage(server.pid!);
    const startedAt = Date.now();
    await sleep(SECONDS * 1000);
    const report = await subscribers.report();
    const lag = await eventLoopP99(base);
    const end = usage(server.pid!);
    const seconds = (Date.now() - startedAt) / 1000;
    return {
      report,
      eventLoopP99: lag,
      rssBefore: before.rss,
      rssAfter: end.rss,
      cpuSeconds: end.cpu - start.cpu,
      seconds,
      connectSeconds,
    };
  } finally {
    await subscribers.stop();
  }
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const topic = `stream-bench-${run}`;
  const prefix = `stream-bench-${run}`;
  const admin = kafka.admin();
  await admin.connect();
  await createTopicWithDlq(admin, topic, ACTIVITY_PARTITIONS);
  const redis = createRedis(redisUrl, { logger, name: 'stream-bench' });
  const children: ChildProcess[] = [];
  const stop = new AbortController();
  let publishing: Promise<number> | undefined;
  try {
    const apiPort = await freePort();
    const aggregator = startAggregator({
      brokers,
      redisUrl,
      topic,
      groupId: `stream-bench-${run}`,
      keyPrefix: prefix,
      port: await freePort(),
    });
    children.push(aggregator);
    const api = startFromSource('services/feeds-api/src/main.ts', {
      REDIS_URL: redisUrl,
      KEY_PREFIX: prefix,
      ACTIVITY_TOPIC: topic,
      PORT: String(apiPort),
      STREAM_MAX_CONNECTIONS: String(SUBSCRIBERS * 2),
      STREAM_MAX_PER_CLIENT: String(SUBSCRIBERS * 2),
      // Every subscriber holds the same national token (sub-national streams are exact with it): one
      // client, so its request budget must cover every connection.
      RATE_LIMIT_TOKEN: String(SUBSCRIBERS * 10),
      LOG_LEVEL: 'warn',
      STREAM_COALESCE_MS: String(COALESCE_MS),
      // As the image runs it (services/feeds-api/Dockerfile).
      NODE_OPTIONS: '--max-semi-space-size=64',
    });
    children.push(api);
    await untilOk(`http://127.0.0.1:${apiPort}/readyz`, api);
    publishing = publish(topic, stop.signal);
    await sleep(10_000); // the aggregator joins its group and applies the first batches

    const date = londonDateOf(Date.now());
    const plan = targets(date, (kind, code) =>
      kind === 'england' ? '/v1/england/stream' : `/v1/${kind}s/${code}/stream`,
    );
    console.log(`feed: ${SUBSCRIBERS} subscribers over ${plan.length} scopes`);
    const token = await signToken(
      { role: 'national', subject: 'stream-bench', ttlSeconds: 3_600 },
      DEV_PRIVATE_JWK,
    );
    const feed = await measure(api, `http://127.0.0.1:${apiPort}`, plan, token);
    // The baseline runs under the same load: the events still go through Kafka, the aggregator
    // and Redis; only the feeds-api process is gone.
    await stopProcess(api);

    // The bare endpoint: the same connections, each sent the feed's average update size per second.
    const sizes = Object.fromEntries(
      Object.entries(feed.report.kinds).map(([kind, s]) => {
        const updates = s.events['update'] ?? 0;
        return [kind, updates > 0 ? Math.round(s.bytes / Math.max(1, updates)) : 1_000];
      }),
    );
    const barePort = await freePort();
    const bare = startFromSource('services/feeds-api/bench/bare-sse.ts', {
      PORT: String(barePort),
      SIZES: JSON.stringify(sizes),
    });
    children.push(bare);
    await untilOk(`http://127.0.0.1:${barePort}/healthz`, bare);
    console.log('bare SSE endpoint: same subscribers');
    const barePhase = await measure(
      bare,
      `http://127.0.0.1:${barePort}`,
      plan.map((t) => ({ ...t, path: `/bare/${t.kind}` })),
      token,
    );
    stop.abort();
    const achieved = await publishing;
    publishing = undefined;

    const ms = (n: number) => (Number.isFinite(n) ? Math.round(n) : 'n/a');
    const all = (
      phase: Phase,
      field: Exclude<keyof KindStats, 'connections' | 'events' | 'bytes'>,
    ) => Object.values(phase.report.kinds).flatMap((s) => s[field]);
    const events = (phase: Phase, name: string) =>
      Object.values(phase.report.kinds).reduce((n, s) => n + (s.events[name] ?? 0), 0);
    const bytes = (phase: Phase) =>
      Object.values(phase.report.kinds).reduce((n, s) => n + s.bytes, 0);
    const row = (label: string, phase: Phase, freshness: boolean) => {
      const delivery = all(phase, 'delivery');
      const fresh = all(phase, 'freshness');
      return [
        label,
        `${phase.report.open} / ${SUBSCRIBERS}`,
        phase.report.ended,
        Math.round(events(phase, 'update') / phase.seconds),
        Number((bytes(phase) / phase.seconds / 1e6).toFixed(1)),
        ms(quantile(delivery, 0.5)),
        ms(quantile(delivery, 0.99)),
        freshness ? ms(quantile(all(phase, 'afterHold'), 0.99)) : 'n/a',
        freshness ? ms(quantile(fresh, 0.99)) : 'n/a',
        freshness ? ms(quantile(all(phase, 'freshAfterHold'), 0.99)) : 'n/a',
        Math.round((phase.rssAfter - phase.rssBefore) / SUBSCRIBERS / 1024),
        Math.round((phase.cpuSeconds / phase.seconds) * 100),
        ms(phase.eventLoopP99),
        Number(phase.connectSeconds.toFixed(1)),
      ];
    };
    const header = [
      'server',
      'connected at end',
      'dropped in window',
      'updates/s received',
      'MB/s received',
      'delivery p50 ms',
      'delivery p99 ms',
      'delivery after the hold p99 ms',
      'emittedAt → received p99 ms',
      'emittedAt → received after the hold p99 ms',
      'memory KiB / connection',
      'server CPU % of a core',
      'server event-loop delay p99 ms',
      'connect s',
    ];
    const byKind = Object.entries(feed.report.kinds).map(([kind, s]) => [
      kind,
      s.connections,
      Math.round((s.events['update'] ?? 0) / feed.seconds),
      Math.round(s.bytes / Math.max(1, s.events['update'] ?? 1)),
      ms(quantile(s.delivery, 0.5)),
      ms(quantile(s.delivery, 0.99)),
      ms(quantile(s.hold, 0.99)),
      ms(quantile(s.afterHold, 0.5)),
      ms(quantile(s.afterHold, 0.99)),
      ms(quantile(s.freshness, 0.99)),
      ms(quantile(s.freshAfterHold, 0.99)),
    ]);
    // The issue's targets. Delivery is counted after the coalescing hold (see the hold bullet):
    // at one update per scope per second, a change applied just after its scope's update waits
    // up to a second by design, so counted from it no sparse scope could be under 500 ms.
    const verdict = (value: number, limit: number) =>
      `**${value < limit ? 'met' : 'missed'}** (${ms(value)} ms)`;
    const deliveryAfterHold = quantile(all(feed, 'afterHold'), 0.99);
    const trustHold = quantile(feed.report.kinds['trust']?.hold ?? [], 0.99);
    const goals = [
      `- delivery p99 under 500 ms, after the hold: ${verdict(deliveryAfterHold, 500)}; hold included: ${ms(quantile(all(feed, 'delivery'), 0.99))} ms (the trusts' hold alone: p99 ${ms(trustHold)} ms)`,
      `- event-to-screen (emittedAt → received) p99 under 1 s, hold included: ${verdict(quantile(all(feed, 'freshness'), 0.99), 1_000)}`,
      `- every subscriber connected for the whole run: **${feed.report.open === SUBSCRIBERS ? 'yes' : 'no'}** (${feed.report.open.toLocaleString('en-GB')} of ${SUBSCRIBERS.toLocaleString('en-GB')} open at the end, ${feed.report.failed} could not connect)`,
    ].join('\n');
    const section = {
      id: 'stream',
      title: `Push feed (SSE): ${SUBSCRIBERS.toLocaleString('en-GB')} subscribers at England’s peak rate`,
      machine,
      date: new Date(),
      body: `One feeds-api process with ${SUBSCRIBERS.toLocaleString('en-GB')} SSE subscribers (${Object.entries(
        SHARES,
      )
        .map(([k, v]) => `${v * 100}% ${k}`)
        .join(
          ', ',
        )}, spread evenly over each kind's scopes; all holding one national token, so every stream is exact and follows the change log, and the per-client stream and request limits raised to let one client hold them all) while the simulator's events for every open trust are published at ${RATE.toLocaleString('en-GB')} events/s (achieved ${Math.round(achieved).toLocaleString('en-GB')}/s) through Kafka, one aggregator and Redis; STREAM_COALESCE_MS ${COALESCE_MS} (one update per scope per second at most). Measured over ${SECONDS} s after every subscriber had its snapshot. Beside it, in the same run and under the same load (the events still published through Kafka, the aggregator and Redis; the feeds-api process stopped), a bare node:http SSE endpoint sends the same connections one event per second each, of the feed's average update size per kind (the machine's raw limit for this volume).

${markdownTable(header, [row('feeds-api /stream', feed, true), row('bare SSE endpoint', barePhase, false)])}

Against the targets (delivery counted after the coalescing hold: see **hold** below):

${goals}

- **delivery**: for the feed, from the newest change an update carries being applied in Redis (its change-log entry's time) to the update being received (the server-side histogram \`feeds_api_stream_delivery_seconds\` counts from every change instead). For the bare endpoint, from the event being written to it being received.
- **hold**: updates are coalesced to one per scope per STREAM_COALESCE_MS, so a change applied x ms after its scope's previous update is held until that update is STREAM_COALESCE_MS old, by design. Each update's hold is estimated from the previous event's \`asOf\` (when its snapshot was read, before it was written) + STREAM_COALESCE_MS − the newest change's apply time: a lower bound, so **after the hold** (the same update's delivery or emittedAt → received minus its hold) over-states what the feed adds beyond the policy. Busy scopes (England, regions) change on every poll, so their newest change is rarely held; a trust that changes every second or two often is, by up to a second whatever the feed does, which is why the delivery target is judged after the hold (the event-to-screen target includes it).
- **emittedAt → received**: from the newest event's \`emittedAt\` (stamped when the publisher sent it) to the update showing it being received: Kafka, the aggregator's batch, Redis, the change-log poll (STREAM_POLL_MS, default 50), the coalescing and the fan-out.
- **memory / connection**: the server's resident memory after the window minus before the subscribers connected, per subscriber. **CPU**: the server process's user + system time over the window. **Event-loop delay**: feeds-api's \`feeds_api_nodejs_eventloop_lag_p99_seconds\` over the window (how late its timers and I/O callbacks ran, waits for the CPU included).

Per scope kind (feed):

${markdownTable(['kind', 'subscribers', 'updates/s', 'bytes / update', 'delivery p50 ms', 'delivery p99 ms', 'hold p99 ms', 'delivery after the hold p50 ms', 'delivery after the hold p99 ms', 'emittedAt → received p99 ms', 'emittedAt → received after the hold p99 ms'], byKind)}

Source: \`services/feeds-api/bench/stream.ts\` (subscribers: \`bench/stream-clients.ts\`, baseline: \`bench/bare-sse.ts\`).`,
    };
    const doc = process.env['PULSE_BENCH_DOC'];
    console.log(section.body);
    console.log(`written to ${doc ? writeSection(section, doc) : writeSection(section)}`);
  } finally {
    stop.abort();
    await publishing?.catch(() => undefined);
    for (const child of children.reverse()) await stopProcess(child);
    await deleteKeysWithPrefix(redis, `${prefix}:`).catch(() => undefined);
    await redis.quit();
    await deleteTopicWithDlq(admin, topic);
    await admin.disconnect();
  }
}

await main();
