// The aggregator process: reads the environment, creates the clients, serves /healthz /readyz
// /metrics and starts consuming. The service kit's runMain stops it on SIGTERM or SIGINT (the
// current batch finishes and is committed), and exits 1 if the consumer stops for good, so the
// supervisor restarts it.
import { createKafka } from '@pulse/kafka';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import { runMain } from '@pulse/service';
import { AGGREGATOR_REDIS_OPTIONS, buildAggregator } from './aggregator.js';
import { loadAggregatorConfig } from './config.js';
import { buildOpsApp } from './ops-app.js';

const SERVICE = 'aggregator';

runMain(
  SERVICE,
  async ({ onClose, useLogger }) => {
    const config = loadAggregatorConfig(process.env);
    const logger = createLogger({ service: SERVICE, level: config.logLevel });
    useLogger(logger);
    const kafka = createKafka({ brokers: config.brokers, clientId: SERVICE, logger });
    const redis = createRedis(config.redisUrl, {
      logger,
      name: SERVICE,
      options: AGGREGATOR_REDIS_OPTIONS,
    });
    onClose(() => redis.quit());
    await redis.connect();

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
