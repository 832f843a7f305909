// The machine's raw HTTP limit for the benchmark: a bare Fastify route returning a small JSON
// body, in its own process as the API is. PORT from the environment; loopback only.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ ok: true, at: Date.now() }));
const close = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', close).once('SIGINT', close);
await app.listen({ port: Number(process.env['PORT'] ?? 0), host: '127.0.0.1' });
