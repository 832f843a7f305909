export { ConfigError } from './errors.js';
export {
  commonEnv,
  flag,
  host,
  integer,
  kafkaBrokers,
  keyPrefix,
  logLevel,
  port,
  redisUrl,
  topic,
} from './fields.js';
export { loadConfig } from './load.js';
export { z } from 'zod';
