import type { Redis } from 'ioredis';
import { StoreError } from './errors.js';

type Replies = [error: Error | null, result: unknown][];

/** Runs a pipeline (one round trip) and returns its results, throwing the first command error. */
export async function execPipeline(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const replies = ((await pipeline.exec()) ?? []) as Replies;
  return replies.map(([error, result]) => {
    if (error)
      throw new StoreError('BAD_REPLY', `read failed: ${error.message}`, {
        cause: error,
        canRetry: true,
      });
    return result;
  });
}
