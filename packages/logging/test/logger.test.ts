import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

function sink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('createLogger should stamp the service and the component on child lines', () => {
    const { lines, stream } = sink();
    const logger = createLogger({ service: 'aggregator', destination: stream });
    logger.child({ component: 'consumer' }).info({ partition: 3 }, 'assigned');
    expect(lines[0]).toMatchObject({
      service: 'aggregator',
      component: 'consumer',
      partition: 3,
      msg: 'assigned',
    });
  });

  it('createLogger should redact secrets and subject references', () => {
    const { lines, stream } = sink();
    const logger = createLogger({ service: 'x', destination: stream });
    logger.info(
      { config: { REDIS_URL: 'redis://:hunter2@h:6379' }, event: { subjectRef: 'abc' } },
      'start',
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc');
  });

  it('createLogger should serialise errors under err with their cause', () => {
    const { lines, stream } = sink();
    const logger = createLogger({ service: 'x', destination: stream });
    logger.error({ err: new Error('outer', { cause: new Error('inner') }) }, 'failed');
    const err = lines[0]?.err as { message: string; cause: { message: string } };
    expect(err.message).toBe('outer');
    expect(err.cause.message).toBe('inner');
  });

  it('createLogger should drop lines below the level', () => {
    const { lines, stream } = sink();
    createLogger({ service: 'x', level: 'warn', destination: stream }).info('quiet');
    expect(lines).toHaveLength(0);
  });
});
