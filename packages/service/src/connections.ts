// Closing a server while a keep-alive connection has a response in flight: Fastify closes the
// connections idle at that moment, and Node's server.close() then waits for the others. A
// connection whose response finished after close began stays open (nothing closes an idle
// keep-alive connection later), so close never resolved and the process never exited: the
// feeds API, sent SIGTERM while answering, ran until SIGKILL. While closing, each response says
// `Connection: close` and, once it is sent, the connections left idle are closed.
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

const gracefulConnections: FastifyPluginAsync = async (app) => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing && !reply.sent) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async () => {
    // After Node has detached the finished response from its socket (its own 'finish' listener
    // runs first), the socket is idle and closeIdleConnections closes it.
    if (closing) setImmediate(() => app.server.closeIdleConnections());
  });
};

export default fp(gracefulConnections, { name: 'pulse-graceful-connections', fastify: '5.x' });
