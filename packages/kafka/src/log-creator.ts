import type { Logger } from '@pulse/logging';
import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

const pinoLevel: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs's level for a pino logger: DEBUG only when the logger would print it. */
export function kafkajsLevel(logger: Logger): logLevel {
  if (logger.isLevelEnabled('debug')) return logLevel.DEBUG;
  if (logger.isLevelEnabled('info')) return logLevel.INFO;
  if (logger.isLevelEnabled('warn')) return logLevel.WARN;
  return logLevel.ERROR;
}

/**
 * Routes kafkajs's log entries to `logger` as JSON lines: the kafkajs namespace (Consumer,
 * Connection, …) as `kafkajs`, its extra fields kept, its message as the line's message.
 */
export function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      child[pinoLevel[level] ?? 'info']({ kafkajs: namespace, ...fields }, message);
    };
}
