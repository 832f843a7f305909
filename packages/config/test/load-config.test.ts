import { describe, expect, it } from 'vitest';
import { ConfigError, commonEnv, integer, loadConfig, port } from '../src/index.js';

const shape = { ...commonEnv, PORT: port(8080), BATCH: integer(10, 1, 100) };

describe('loadConfig', () => {
  it('loadConfig should apply defaults that run on one machine', () => {
    const config = loadConfig(shape, {});
    expect(config).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'info',
      PORT: 8080,
      BATCH: 10,
    });
  });

  it('loadConfig should split and trim the broker list and coerce numbers', () => {
    const config = loadConfig(shape, { KAFKA_BROKERS: 'a:9092, b:9093', PORT: '3000' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(config.PORT).toBe(3000);
  });

  it('loadConfig should name every bad variable in one error', () => {
    const bad = {
      KAFKA_BROKERS: 'nohost',
      REDIS_URL: 'http://x',
      PORT: '70000',
      LOG_LEVEL: 'loud',
    };
    const error = (() => {
      try {
        loadConfig(shape, bad);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['KAFKA_BROKERS', 'REDIS_URL', 'PORT', 'LOG_LEVEL']) {
      expect(problems).toContain(name);
    }
  });

  it('loadConfig should treat empty strings as unset', () => {
    expect(loadConfig(shape, { PORT: '' }).PORT).toBe(8080);
  });
});
