// The feeds-api process: reads the environment, connects Redis, loads reference data and listens;
// the service kit's runMain closes it gracefully on SIGTERM/SIGINT. Everything else is in buildApp.
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import { runMain } from '@pulse/service';
import { createFigureReader } from '@pulse/store';
import { buildApp } from './app.js';
import { keySource } from './auth/keys.js';
import { createVerifier } from './auth/verifier.js';
import { loadFeedsApiConfig } from './config.js';
import { figuresFromReader } from './figures.js';
import { changeLogFromStore } from './stream/store-change-log.js';
import { beyondLastPartitionKey, partitionCountProblem, storeReadiness } from './readiness.js';

runMain('feeds-api', async ({ onClose, useLogger }) => {
  const config = loadFeedsApiConfig();
  const logger = createLogger({ service: 'feeds-api', level: config.logLevel });
  useLogger(logger);
  const redis = createRedis(config.redisUrl, { logger, name: 'feeds-api' });
  onClose(() => redis.quit());
  const refdata = loadRefData();
  const layout = {
    prefix: config.keyPrefix,
    topic: config.activityTopic,
    partitions: config.topicPartitions,
  };
  const reader = createFigureReader(redis, { ...layout, refdata });
  const keys = await keySource(config.auth);
  const verify = await createVerifier({ ...config.auth, keys });
  if (keys.kind === 'development') {
    logger.warn(
      'AUTH_MODE development with no keys configured: tokens signed by the published ' +
        'development key (npm run token) are accepted; never run a deployment like this',
    );
  }
  const app = await buildApp(config, {
    refdata,
    figures: figuresFromReader(reader),
    readiness: storeReadiness(redis, layout),
    changeLog: changeLogFromStore(redis, layout),
    logger,
    verify,
    limitStore: { redis, prefix: config.keyPrefix },
  });
  onClose(() => app.close());

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
});
