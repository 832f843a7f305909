// Regression: the feeds API sent SIGTERM while answering a request on a keep-alive connection
// never finished closing (the connection stayed open once idle) and was killed by SIGKILL.
import { Agent, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createServiceApp } from '../src/index.js';

function get(port: number, agent: Agent, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path, agent }, resolve).on('error', reject).end();
  });
}

describe('graceful connections', () => {
  it('close should finish when a keep-alive response is in flight as it begins', async () => {
    const app = await createServiceApp();
    let arrived!: () => void;
    const inRoute = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    app.get('/slow', async () => {
      arrived();
      await released;
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true });
    try {
      const response = get(port, agent, '/slow');
      await inRoute;
      const closed = app.close();
      // The response goes out once the server has stopped listening (as when SIGTERM lands while
      // a request is being answered).
      while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
      release();
      const res = await response;
      // The response still arrives whole, and tells the client the connection ends with it.
      expect(res.statusCode).toBe(200);
      expect(res.headers.connection).toBe('close');
      res.resume();
      // Without the fix this never resolves (the idle keep-alive socket holds the server open).
      await closed;
    } finally {
      agent.destroy();
    }
  });

  it('close should finish when the response was sent just before it began', async () => {
    const app = await createServiceApp();
    app.get('/quick', async () => ({ done: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true });
    try {
      const res = await get(port, agent, '/quick');
      res.resume();
      await app.close();
    } finally {
      agent.destroy();
    }
  });
});
