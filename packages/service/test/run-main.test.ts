// runMain in real processes: signals, a second signal, the close bound, start-up failures and a
// service ending by itself. The processes are short and their exits are what is checked; the
// test timeouts are hang guards only.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/service.ts', import.meta.url));

function start(mode: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@pulse/source', fixture],
    {
      env: { ...process.env, FIXTURE_MODE: mode },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = async (line = 'ready') => {
    while (!stdout.includes(line)) {
      if (child.exitCode !== null) throw new Error(`exited early: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, ready, out: () => stdout, err: () => stderr };
}

describe('runMain', () => {
  it('SIGTERM should close everything, last opened first, and exit 0', async () => {
    const p = start('serve');
    await p.ready();
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.out()).toContain('ready\nclosed last-opened\nclosed first-opened\n');
  });

  it('SIGINT should close the same way', async () => {
    const p = start('serve');
    await p.ready();
    p.child.kill('SIGINT');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });

  it('a second signal during a hung close should exit 1 at once, not by the signal', async () => {
    const p = start('hang-close');
    await p.ready();
    p.child.kill('SIGTERM');
    await p.ready('hanging');
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.err()).toContain('second SIGTERM: exiting now');
  });

  it('a close that outlasts the bound should exit 1', async () => {
    const p = start('hang-close');
    await p.ready();
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.err()).toContain('not closed within 1000 ms');
  });

  it('a start-up failure should print its message and exit 1', async () => {
    const p = start('bad-config');
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.err()).toBe('fixture failed to start: Invalid configuration:\n  - PORT: bad\n');
  });

  it('a main that finishes should close and exit with its code', async () => {
    const p = start('done');
    expect(await p.exited).toEqual({ code: 3, signal: null });
    expect(p.out()).toContain('closed last-opened\nclosed first-opened\n');
  });

  it('a running service that stops for good should close and exit with its code', async () => {
    const p = start('crash');
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.out()).toContain('closed first-opened');
  });
});
