// Small process and port helpers shared by infra/kafka/kafka.mjs and infra/redis/redis.mjs.
// Node built-ins only: these scripts must run before `npm ci` has finished and on a bare machine.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves true when `port` on 127.0.0.1 can be bound right now. */
export function isPortFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/** A port on 127.0.0.1 that the kernel says is free (it may be taken again before it is used). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `preferred` when it is free, else any free port; 0 or undefined means any free port. */
export async function choosePort(preferred) {
  if (preferred && (await isPortFree(preferred))) return preferred;
  if (preferred) throw new Error(`port ${preferred} is in use`);
  return freePort();
}

/** True while a process with this pid exists (and we may signal it). */
export function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Starts `command` detached from this process (its own process group, output appended to
 * `logFile`), so it outlives the script that started it. Returns the child's pid.
 */
export function spawnDetached(command, args, { logFile, cwd, env = process.env }) {
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
    child.on('error', () => {}); // a missing binary shows as an undefined pid below
    child.unref();
    if (!child.pid) throw new Error(`cannot run ${command}`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Polls `check` (an async predicate) until it holds, the process dies, or `timeoutMs` passes. */
export async function waitUntil(check, { pid, timeoutMs, what, logFile }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    const hint = logFile ? ` (see ${logFile})` : '';
    if (pid && !isAlive(pid)) throw new Error(`${what} exited during start-up${hint}`);
    if (Date.now() > deadline)
      throw new Error(`${what} did not answer within ${timeoutMs} ms${hint}`);
    await sleep(250);
  }
}

/** SIGTERM, then SIGKILL if the process has not gone after `graceMs`. Resolves once it has gone. */
export async function stopPid(pid, { graceMs = 30_000 } = {}) {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
}

export function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

export function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function removeFile(file) {
  rmSync(file, { force: true });
}

/**
 * Parses `--name value` and `--flag` arguments into an object; positional words go to `_`.
 * Enough for these scripts; they take a handful of options each.
 */
export function parseArgs(argv) {
  const options = { _: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      options._.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    const next = argv[i + 1];
    if (inline !== undefined) options[name] = inline;
    else if (next !== undefined && !next.startsWith('--')) options[name] = argv[++i];
    else options[name] = true;
  }
  return options;
}

/**
 * The start, stop and status commands shared by kafka.mjs and redis.mjs. `service` has
 * `start()`, `stop()` and `status()` bound to one directory and `line(state)` giving the
 * `NAME=address` line printed on stdout. Returns false for any other command.
 */
export async function serviceCommand(command, service) {
  const say = (message) => process.stderr.write(`[${service.name}] ${message}\n`);
  if (command === 'start') {
    // Interrupted while starting (Ctrl-C reaches this script with its parent, or the parent
    // gives up): stop what was started in the directory, so no server outlives the request.
    const interrupted = async (signal) => {
      say(`${signal} while starting: stopping what was started`);
      await service.stop();
      process.exit(130);
    };
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
    console.log(service.line(await service.start()));
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  } else if (command === 'stop') {
    const state = await service.stop();
    say(state ? `stopped pid ${state.pid}` : 'nothing was running');
  } else if (command === 'status') {
    const state = service.status();
    if (!state) {
      say(`not running in ${service.dir}`);
      process.exitCode = 1;
    } else console.log(service.line(state));
  } else {
    return false;
  }
  return true;
}

/** Runs a CLI `main`, printing a one-line error and exiting 1 on failure. */
export function runCli(main) {
  main(parseArgs(process.argv.slice(2))).catch((err) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  });
}
