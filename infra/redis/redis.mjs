#!/usr/bin/env node
// A private redis-server on loopback, for development and tests on a machine without Docker.
// It never touches a Redis it did not start (the one on 6379 may be shared).
//
//   node infra/redis/redis.mjs start  [--dir D] [--port P] [--persist]   start, wait for PING
//   node infra/redis/redis.mjs stop   [--dir D]                          stop the server started in D
//   node infra/redis/redis.mjs status [--dir D]                          print its URL, exit 1 when not running
//
// D defaults to .pulse/redis at the repository root; P to any free port. --persist turns the
// append-only file on (as in docker-compose.yml); without it nothing is written to disk.
// `start` prints `REDIS_URL=redis://127.0.0.1:P` on stdout.
import { mkdirSync } from 'node:fs';
import { Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  choosePort,
  isAlive,
  readJson,
  removeFile,
  runCli,
  serviceCommand,
  spawnDetached,
  stopPid,
  waitUntil,
  writeJson,
} from '../lib/process.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function ping(port) {
  return new Promise((resolvePing) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** The running server recorded in `dir`, or undefined. */
export function status({ dir }) {
  const state = readJson(join(resolve(dir), 'redis.json'));
  return state && isAlive(state.pid) ? state : undefined;
}

/**
 * Starts redis-server with its files in `dir` on 127.0.0.1:`port` (0: any free port). Returns
 * `{ pid, port, url, dir }` once it answers PING; a server already running in `dir` is returned.
 */
export async function start({ dir, port = 0, persist = false, timeoutMs = 30_000 }) {
  const home = resolve(dir);
  const running = status({ dir: home });
  if (running) return running;
  mkdirSync(home, { recursive: true });
  const chosen = await choosePort(port);
  const args = [
    '--port',
    String(chosen),
    '--bind',
    '127.0.0.1',
    '--dir',
    home,
    '--daemonize',
    'no',
    '--save',
    '',
  ];
  args.push('--appendonly', persist ? 'yes' : 'no');
  const logFile = join(home, 'redis.log');
  let pid;
  try {
    pid = spawnDetached('redis-server', args, { logFile });
  } catch {
    throw new Error('cannot run redis-server: install it (Debian: apt-get install redis-server)');
  }
  const state = { pid, port: chosen, url: `redis://127.0.0.1:${chosen}`, dir: home };
  writeJson(join(home, 'redis.json'), state);
  process.stderr.write(`[redis] starting redis-server on ${state.url} (pid ${pid})\n`);
  await waitUntil(() => ping(chosen), {
    pid,
    timeoutMs,
    what: `redis-server on ${state.url}`,
    logFile,
  });
  return state;
}

/** Stops the server started in `dir`. */
export async function stop({ dir }) {
  const file = join(resolve(dir), 'redis.json');
  const state = readJson(file);
  if (state) await stopPid(state.pid, { graceMs: 10_000 });
  removeFile(file);
  return state;
}

async function main(options) {
  const dir = options.dir ?? join(repoRoot, '.pulse', 'redis');
  const handled = await serviceCommand(options._[0], {
    name: 'redis',
    dir,
    start: () => start({ dir, port: Number(options.port ?? 0), persist: Boolean(options.persist) }),
    stop: () => stop({ dir }),
    status: () => status({ dir }),
    line: (state) => `REDIS_URL=${state.url}`,
  });
  if (!handled)
    throw new Error('usage: redis.mjs <start|stop|status> [--dir DIR] [--port PORT] [--persist]');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runCli(main);
