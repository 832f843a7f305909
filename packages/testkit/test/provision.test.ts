import { describe, expect, it } from 'vitest';
import { provisionInfra } from '../src/index.js';
import { redactUrl } from '../src/infra.js';

describe('provisionInfra', () => {
  it('provisionInfra should use KAFKA_BROKERS and REDIS_URL as given and start nothing', async () => {
    const infra = await provisionInfra({
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      REDIS_URL: 'redis://r:6380',
    });
    expect(infra).toMatchObject({
      kafkaBrokers: 'k1:9092,k2:9092',
      redisUrl: 'redis://r:6380',
      sources: { kafka: 'env', redis: 'env' },
    });
    await infra.stop();
  });

  it('redactUrl should hide a password and keep the rest', () => {
    expect(redactUrl('redis://user:secret@h:6379/2')).toBe('redis://user:***@h:6379/2');
    expect(redactUrl('redis://h:6379')).toBe('redis://h:6379');
  });
});
