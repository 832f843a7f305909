// The feeds-api process: reads the environment, connects Redis, loads reference data and listens;
// the service kit's runMain closes it gracefully on SIGTERM/SIGINT. Everything else is in buildApp.
import { dashboardBuilt, dashboardDir } from '@pulse/dashboard';
import { keyPartitioner } from '@pulse/kafka';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import { runMain } from '@pulse/service';
import { createFigureReader, followActivePrefix } from '@pulse/store';
import { followingChangeLog, followingFigures } from './active-prefix.js';
import { buildApp } from './app.js';
import { keySource } from './auth/keys.js';
import { createVerifier } from './auth/verifier.js';
import { loadFeedsApiConfig } from './config.js';
import { figuresFromReader } from './figures.js';
import { changeLogFromStore } from './stream/store-change-log.js';
import { beyondLastPartitionKey, partitionCountProblem, storeReadiness } from './readiness.js';

/** How often the active-prefix pointer is read again, ms: a rebuild's switch is served within it. */
const POINTER_REFRESH_MS = 1_000;

runMain('feeds-api', async ({ onClose, useLogger }) => {
  const config = loadFeedsApiConfig();
  const logger = createLogger({ service: 'feeds-api', level: config.logLevel });
  useLogger(logger);
  const redis = createRedis(config.redisUrl, { logger, name: 'feeds-api' });
  onClose(() => redis.quit());
  // The push feed's change-log reads on a connection of their own: a reply comes in the order of
  // its connection's commands, so on the shared one the follower's poll would wait behind every
  // snapshot read in flight.
  const changesRedis = createRedis(config.redisUrl, { logger, name: 'feeds-api-changes' });
  onClose(() => changesRedis.quit());
  const refdata = loadRefData();
  // Connect eagerly so a wrong REDIS_URL is reported at start; /readyz tracks it afterwards.
  await Promise.all(
    [redis, changesRedis].map((client) =>
      client.connect().catch((err: unknown) => logger.warn({ err }, 'redis not reachable yet')),
    ),
  );
  // The figures are read from the prefix the pointer names (a rebuild switches it), read at start
  // (waiting for Redis if it is not reachable yet) and every POINTER_REFRESH_MS after.
  const pointer = await followActivePrefix(redis, config.keyPrefix, {
    refreshMs: POINTER_REFRESH_MS,
    onChange: (prefix, previous) =>
      logger.info({ prefix, previous }, 'figures now read from a rebuilt prefix'),
    onError: (err) => logger.error({ err }, 'active-prefix pointer not followed'),
  });
  onClose(() => pointer.stop());
  const layout = {
    get prefix() {
      return pointer.current();
    },
    topic: config.activityTopic,
    partitions: config.topicPartitions,
  };
  // A trust's figures are read from the partition its records are on alone (the aggregator
  // refuses a record off its key's partition), not from every partition.
  const partitionOf = keyPartitioner(config.topicPartitions);
  const figures = followingFigures(pointer, (prefix) =>
    figuresFromReader(createFigureReader(redis, { ...layout, prefix, refdata, partitionOf })),
  );
  const keys = await keySource(config.auth);
  const verify = await createVerifier({ ...config.auth, keys });
  if (keys.kind === 'development') {
    logger.warn(
      'AUTH_MODE development with no keys configured: tokens signed by the published ' +
        'development key (npm run token) are accepted; never run a deployment like this',
    );
  }
  // The dashboard at `/` once built (turbo builds it before feeds-api; the image ships it).
  const dashboard = dashboardBuilt() ? dashboardDir : undefined;
  if (!dashboard) logger.warn({ dashboardDir }, 'dashboard not built: `/` is not served');
  const app = await buildApp(
    { ...config, dashboardDir: dashboard },
    {
      refdata,
      figures,
      readiness: storeReadiness(redis, layout, partitionOf, changesRedis),
      changeLog: followingChangeLog(pointer, config.keyPrefix, (prefix) =>
        changeLogFromStore(changesRedis, { ...layout, prefix }),
      ),
      logger,
      verify,
      limitStore: { redis, prefix: config.keyPrefix },
    },
  );
  onClose(() => app.close());

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
