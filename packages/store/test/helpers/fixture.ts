import type { RefData } from '@pulse/refdata';
import type { FigureReader, FigureStore } from '../../src/index.js';
import { createFigureReader, createFigureStore } from '../../src/index.js';
import type { TestRedis } from './redis.js';
import { testRedis } from './redis.js';
import { ACTIVITY_TOPIC } from '@pulse/topology';

export const TOPIC = ACTIVITY_TOPIC;

export interface StoreFixture {
  t: TestRedis;
  store: FigureStore;
  reader: FigureReader;
}

/** A store and a reader over a fresh key prefix, removed when the test finishes. */
export async function storeFixture(partitions: number, refdata: RefData): Promise<StoreFixture> {
  const t = await testRedis();
  const space = { prefix: t.prefix, topic: TOPIC };
  return {
    t,
    store: createFigureStore(t.redis, { ...space, refdata }),
    reader: createFigureReader(t.redis, { ...space, partitions, refdata }),
  };
}
