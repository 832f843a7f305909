// The aggregator process: reads the environment, creates the clients, starts consuming and
// serving /healthz /readyz /metrics, and shuts down cleanly on SIGTERM or SIGINT.
import { createKafka } from '@pulse/kafka';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import { AGGREGATOR_REDIS_OPTIONS, buildAggregator } from './aggregator.js';
import { loadAggregatorConfig } from './config.js';
import { buildOpsApp } from './ops-app.js';

const SERVICE = 'aggregator';

async function main(): Promise<void> {
  const config = loadAggregatorConfig(process.env);
  const logger = createLogger({ service: SERVICE, level: config.logLevel });
  const kafka = createKafka({ brokers: config.brokers, clientId: SERVICE, logger });
  const redis = createRedis(config.redisUrl, {
    logger,
    name: SERVICE,
    options: AGGREGATOR_REDIS_OPTIONS,
  });
  await redis.connect();

  const aggregator = buildAggregator(config, { kafka, redis, logger });
  const ops = buildOpsApp({
    registry: aggregator.metrics.registry,
    readiness: aggregator.readiness,
  });

  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the current batch');
    try {
      await aggregator.stop();
      await ops.close();
      await redis.quit();
      logger.info('shut down cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  }
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));

  void aggregator.crashed.then((err) => {
    logger.fatal({ err }, 'consumer stopped for good: exiting so the supervisor restarts it');
    process.exit(1);
  });

  await ops.listen({ port: config.port, host: config.host });
  await aggregator.start();
  logger.info({ host: config.host, port: config.port }, 'aggregator running');
}

main().catch((err: unknown) => {
  // Config errors carry one line per bad variable; print them plainly before anything else.
  process.stderr.write(`aggregator failed to start: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
