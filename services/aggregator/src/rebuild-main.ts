// The rebuild command (`npm run rebuild`; docs/aggregation.md, "Rebuild"): the aggregator's
// environment, one run of rebuild(), exit 0 when the new prefix is served and the old one dropped.
// `--drop <prefix>` only drops a prefix left behind (never the active one).
// SIGTERM/SIGINT stop it; before the switch nothing changes for readers (its prefix is dropped),
// after it the live aggregators carry on from the new prefix's offsets.
import { runMain } from '@pulse/service';
import { dropPrefix, readActivePrefix } from '@pulse/store';
import { connectClients } from './clients.js';
import { rebuild } from './rebuild.js';

const SERVICE = 'aggregator-rebuild';

runMain(
  SERVICE,
  async ({ onClose, useLogger }) => {
    const { config, logger, kafka, redis } = await connectClients(SERVICE, { onClose, useLogger });
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
