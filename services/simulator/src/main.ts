#!/usr/bin/env node
// Entry point: reads the environment and the command line, creates the clients and runs. The
// service kit's runMain turns SIGTERM/SIGINT into a clean stop (the batch in flight is sent and
// logged, then the run disconnects and prints its summary) and exits with the run's code.
import { kafkaBrokers, loadConfig, logLevel } from '@pulse/config';
import { createCodec } from '@pulse/contracts';
import { createKafka } from '@pulse/kafka';
import { createLogger } from '@pulse/logging';
import { loadRefData } from '@pulse/refdata';
import { runMain } from '@pulse/service';
import { parseOptions, USAGE } from './cli/options.js';
import { SimulatorError } from './errors.js';
import { formatSummary } from './publish/summary.js';
import { runSimulator } from './run.js';

runMain('simulate', async ({ onClose, useLogger, signal }) => {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof SimulatorError)) throw err;
    process.stderr.write(`simulate: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const env = loadConfig({ KAFKA_BROKERS: kafkaBrokers, LOG_LEVEL: logLevel });
  const logger = createLogger({ service: 'simulator', level: env.LOG_LEVEL });
  useLogger(logger);
  const kafka = createKafka({
    brokers: options.brokers ?? env.KAFKA_BROKERS,
    clientId: 'simulator',
    logger,
  });
  const deps = { kafka, refdata: loadRefData(), codec: createCodec(), logger, signal };
  const run = runSimulator(options, deps).then(
    (summary) => {
      process.stdout.write(formatSummary(summary) + '\n');
      return 0;
    },
    (err: unknown) => {
      if (err instanceof SimulatorError) {
        process.stderr.write(`simulate: ${err.message}\n`);
        return 2;
      }
      logger.error({ err }, 'simulator failed');
      return 1;
    },
  );
  // Closing aborts `signal` first: the batch in flight is sent and logged, then the run ends.
  onClose(() => run);
  return run;
});
