import { createServer } from 'node:net';

function listen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** A port on 127.0.0.1 that is free right now. */
export async function freePort(): Promise<number> {
  const port = await listen(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}

/** True when `port` on 127.0.0.1 can be bound right now. */
export async function isPortFree(port: number): Promise<boolean> {
  return (await listen(port)) !== undefined;
}
