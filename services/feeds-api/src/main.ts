// The feeds-api process: reads the environment, connects Redis, loads reference data, listens,
// and closes gracefully on SIGTERM/SIGINT. Everything else is in buildApp.
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import { createFigureReader } from '@pulse/store';
import { buildApp } from './app.js';
import { loadFeedsApiConfig } from './config.js';
import { figuresFromReader } from './figures.js';
import { beyondLastPartitionKey, partitionCountProblem, storeReadiness } from './readiness.js';

async function main(): Promise<void> {
  const config = loadFeedsApiConfig();
  const logger = createLogger({ service: 'feeds-api', level: config.logLevel });
  const redis = createRedis(config.redisUrl, { logger, name: 'feeds-api' });
  const refdata = loadRefData();
  const layout = {
    prefix: config.keyPrefix,
    topic: config.activityTopic,
    partitions: config.topicPartitions,
  };
  const reader = createFigureReader(redis, { ...layout, refdata });
  const app = await buildApp(config, {
    refdata,
    figures: figuresFromReader(reader),
    ready: storeReadiness(redis, layout),
    logger,
  });

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'closing');
    try {
      await app.close();
      await redis.quit();
      logger.info('closed');
    } catch (err) {
      logger.error({ err }, 'close failed');
      process.exitCode = 1;
    }
  };
  process.once('SIGTERM', () => void close('SIGTERM'));
  process.once('SIGINT', () => void close('SIGINT'));

  // Connect eagerly so a wrong REDIS_URL is reported at start; /readyz tracks it afterwards.
  await redis.connect().catch((err: unknown) => logger.warn({ err }, 'redis not reachable yet'));
  await app.listen({ port: config.port, host: config.host });
  // Not awaited before listening: the command waits for Redis if it is not reachable yet.
  partitionCountProblem(redis, layout).then(
    (problem) =>
      problem &&
      logger.error(
        { key: beyondLastPartitionKey(layout), topicPartitions: layout.partitions },
        problem,
      ),
    (err: unknown) => logger.warn({ err }, 'partition count not checked'),
  );
}

main().catch((err: unknown) => {
  // Config errors list every bad variable; print them plainly as well as logging.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
