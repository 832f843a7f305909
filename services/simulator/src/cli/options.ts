// The command line: `npm run simulate -- [options]`. Parsed with node:util parseArgs; every bad
// value gets its own precise message (SimulatorError BAD_OPTION / BAD_FAULTS).
import { parseArgs } from 'node:util';
import { parseInstant } from '@pulse/contracts';
import { ACTIVITY_TOPIC } from '@pulse/topology';
import { SimulatorError } from '../errors.js';
import { NO_FAULTS, parseFaults, type FaultRatios } from '../faults/kinds.js';
import { ENGLAND_PER_DAY } from '../generate/assumptions.js';
import { londonDayStartOf } from '@pulse/refdata';

export const DEFAULT_TOPIC = ACTIVITY_TOPIC;
export const DEFAULT_SEED = 'pulse';
/**
 * Share of England's RTT waiting list simulated: 2% is ~148k pathways, which keeps a day's stream
 * ~440k records; `--rtt-scale full` (1) is England's whole published list.
 */
export const DEFAULT_RTT_SCALE = 0.02;
/** The --rtt-scale word for England's whole waiting list. */
export const FULL_RTT_SCALE = 'full';

export const USAGE = `Usage: npm run simulate -- [options]

Simulates NHS trusts' EPRs: realistic, seeded activity events published to Kafka (Avro).

Options:
  --brokers LIST     Kafka bootstrap brokers, host:port[,host:port]
                     (default: KAFKA_BROKERS, else 127.0.0.1:9092)
  --topic NAME       topic to publish to (default ${DEFAULT_TOPIC}; created if missing)
  --seed TEXT        random seed; the same seed and options send the same records (default ${DEFAULT_SEED})
  --from INSTANT     start of simulated time, ISO 8601 UTC, e.g. 2026-11-23T00:00:00Z
                     (default now; with --catch-up, London midnight starting today)
  --to INSTANT       end of simulated time (exclusive); without it, run until SIGTERM/SIGINT
  --trusts LIST      comma list of trust ODS codes (default: every trust open on the --from date)
  --speed N          pace: N times real time from --from (default 1)
  --fast             as fast as possible, then exit (needs --to)
  --catch-up         never ahead of the wall clock: what is already past (--from to now) goes out
                     as fast as possible, or at --speed N times real time from --from until
                     simulated time meets the wall clock; from then on each record when the wall
                     clock reaches its time (real time)
  --faults SPEC      fault ratios, e.g. duplicate=0.05,late=0.01,tooLate=0.001,future=0.001,
                     corrupt=0.001,unknownFingerprint=0.001,unknownProvider=0.001,
                     implausible=0.001,identifier=0.001,emittedFuture=0.001 (default none)
  --log FILE         write the sent log (JSON lines) to FILE
  --rtt-scale X      share of England's RTT waiting list to simulate, 0-1, or "${FULL_RTT_SCALE}" for all
                     of it (${ENGLAND_PER_DAY.rttWaitingList.toLocaleString('en-GB')} pathways; default ${DEFAULT_RTT_SCALE})
  --help             print this help

Environment: KAFKA_BROKERS, LOG_LEVEL (fatal|error|warn|info|debug|trace|silent).

Examples:
  npm run simulate -- --fast --from 2026-11-23T00:00:00Z --to 2026-11-24T00:00:00Z --log day.jsonl
  npm run simulate -- --trusts RGT,RJ1 --speed 60 --faults duplicate=0.05,late=0.01
  npm run simulate -- --catch-up                   # today from London midnight, then real time
`;

export interface SimulatorOptions {
  brokers: string | undefined;
  topic: string;
  seed: string;
  from: number;
  to: number;
  trusts: readonly string[] | undefined;
  /** Simulated ms per wall ms; Infinity with --fast, or --catch-up without --speed. */
  speed: number;
  /** Paced, but never ahead of the wall clock (src/publish/pace.ts). */
  catchUp: boolean;
  faults: FaultRatios;
  log: string | undefined;
  rttScale: number;
  help: boolean;
}

const bad = (message: string) => new SimulatorError('BAD_OPTION', message);

function instant(name: string, value: string): number {
  const ms = parseInstant(value);
  if (ms === undefined) {
    throw bad(`--${name}: "${value}" is not an ISO 8601 UTC instant like 2026-11-23T00:00:00Z`);
  }
  return ms;
}

function positive(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw bad(`--${name}: must be a number above 0, got "${value}"`);
  }
  return n;
}

function share(value: string): number {
  if (value === FULL_RTT_SCALE) return 1;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw bad(`--rtt-scale: must be a number from 0 to 1 or "${FULL_RTT_SCALE}", got "${value}"`);
  }
  return n;
}

/** Parses argv (without node and script); `now` is the default --from (its London midnight with --catch-up). */
export function parseOptions(argv: readonly string[], now: number = Date.now()): SimulatorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        brokers: { type: 'string' },
        topic: { type: 'string' },
        seed: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        trusts: { type: 'string' },
        speed: { type: 'string' },
        fast: { type: 'boolean' },
        'catch-up': { type: 'boolean' },
        faults: { type: 'string' },
        log: { type: 'string' },
        'rtt-scale': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw bad((err as Error).message);
  }
  const help = values.help ?? false;
  const catchUp = values['catch-up'] ?? false;
  const from =
    values.from !== undefined
      ? instant('from', values.from)
      : catchUp
        ? londonDayStartOf(now)
        : now;
  const to = values.to === undefined ? Infinity : instant('to', values.to);
  if (!(from < to))
    throw bad(`--from (${values.from ?? 'now'}) must be before --to (${values.to})`);
  if (values.fast && values.speed !== undefined) throw bad('--fast and --speed exclude each other');
  if (values.fast && catchUp) {
    throw bad('--fast and --catch-up exclude each other: --catch-up never runs ahead of the clock');
  }
  if (values.fast && to === Infinity) throw bad('--fast needs --to: it runs a window, then exits');
  const topic = values.topic ?? DEFAULT_TOPIC;
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    throw bad(`--topic: "${topic}" is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)`);
  }
  let trusts: string[] | undefined;
  if (values.trusts !== undefined) {
    trusts = values.trusts
      .split(',')
      .map((t) => t.trim().toUpperCase())
      .filter((t) => t !== '');
    if (trusts.length === 0) throw bad('--trusts: give at least one ODS code');
  }
  if (values.seed !== undefined && values.seed === '') throw bad('--seed: must not be empty');
  return {
    brokers: values.brokers,
    topic,
    seed: values.seed ?? DEFAULT_SEED,
    from,
    to,
    trusts,
    speed:
      values.speed !== undefined
        ? positive('speed', values.speed)
        : values.fast || catchUp
          ? Infinity
          : 1,
    catchUp,
    faults: values.faults === undefined ? NO_FAULTS : parseFaults(values.faults),
    log: values.log,
    rttScale: values['rtt-scale'] === undefined ? DEFAULT_RTT_SCALE : share(values['rtt-scale']),
    help,
  };
}
