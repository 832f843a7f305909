// The rebuild command (`npm run rebuild`; docs/aggregation.md, "Rebuild"): the aggregator's
// environment, one run of rebuild(), exit 0 when the new prefix is served and the old one dropped.
// `--drop <prefix>` only drops a prefix left behind (never the active one).
// SIGTERM/SIGINT stop it; before the switch nothing changes for readers (its prefix is dropped),
// after it the live aggregators carry on from the new prefix's offsets.
import { createKafka } from '@pulse/kafka';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import { runMain } from '@pulse/service';
import { dropPrefix, readActivePrefix } from '@pulse/store';
import { AGGREGATOR_REDIS_OPTIONS } from './aggregator.js';
import { loadAggregatorConfig } from './config.js';
import { rebuild } from './rebuild.js';

const SERVICE = 'aggregator-rebuild';

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
    const [flag, stale] = process.argv.slice(2);
    if (flag === '--drop') {
      const active = await readActivePrefix(redis, config.keyPrefix);
      if (!stale || stale === active) {
        logger.error({ active }, '--drop needs a prefix other than the active one');
        return 2;
      }
      const dropped = await dropPrefix(redis, { prefix: stale, topic: config.activityTopic });
      logger.info({ prefix: stale, dropped }, 'dropped');
      return 0;
    }
    const result = await rebuild(config, { kafka, redis, logger });
    logger.info(result, 'rebuilt');
    return 0;
  },
  { closeTimeoutMs: 25_000 },
);
