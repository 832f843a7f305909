// The aggregator process: reads the environment, creates the clients, serves /healthz /readyz
// /metrics and starts consuming. The service kit's runMain stops it on SIGTERM or SIGINT (the
// current batch finishes and is committed), and exits 1 if the consumer stops for good, so the
// supervisor restarts it.
import { runMain } from '@pulse/service';
import { buildAggregator } from './aggregator.js';
import { connectClients } from './clients.js';
import { buildOpsApp } from './ops-app.js';

const SERVICE = 'aggregator';

runMain(
  SERVICE,
  async ({ onClose, useLogger }) => {
    const { config, logger, kafka, redis } = await connectClients(SERVICE, { onClose, useLogger });

    const aggregator = buildAggregator(config, { kafka, redis, logger });
    const ops = await buildOpsApp({
      registry: aggregator.metrics.registry,
      readiness: aggregator.readiness,
    });
    onClose(() => ops.close());
    await ops.listen({ port: config.port, host: config.host });
    // Stopping finishes the current batch, commits, leaves the group and disconnects.
    onClose(() => aggregator.stop());
    await aggregator.start();
    logger.info({ host: config.host, port: config.port }, 'aggregator running');
    const exitCode = aggregator.crashed.then((err) => {
      logger.fatal({ err }, 'consumer stopped for good: exiting so the supervisor restarts it');
      return 1;
    });
    return { exitCode };
    // Leaving the group after the batches in flight can take a while on a loaded broker; compose
    // gives the aggregator a longer stop_grace_period to match.
  },
  { closeTimeoutMs: 25_000 },
);
