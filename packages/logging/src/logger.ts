import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerSettings {
  /** Service name, stamped on every line as `service`. */
  service: string;
  /** pino level name; 'silent' turns logging off. */
  level?: string;
  /** Where lines go; stdout by default. Tests pass a capture stream. */
  destination?: DestinationStream;
}

// Fields that could carry secrets or patient identifiers are censored wherever they appear.
const redactPaths = [
  'password',
  '*.password',
  'redisUrl',
  '*.redisUrl',
  'REDIS_URL',
  '*.REDIS_URL',
  'subjectRef',
  '*.subjectRef',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** The one root logger of a process. Components take `logger.child({ component })`. */
export function createLogger({ service, level = 'info', destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    // Errors always go under `err` with their stack, code and cause.
    serializers: { err: pino.stdSerializers.errWithCause },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
