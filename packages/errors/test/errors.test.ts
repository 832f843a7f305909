import { describe, expect, it } from 'vitest';
import { isPulseError, PulseError } from '../src/index.js';

class ThingError extends PulseError<'BROKEN' | 'AWAY'> {}

describe('PulseError', () => {
  it('should carry its code, message, cause and the subclass name', () => {
    const cause = new Error('socket closed');
    const err = new ThingError('AWAY', 'the thing is away', { cause, canRetry: true });
    expect(err).toBeInstanceOf(Error);
    expect(isPulseError(err)).toBe(true);
    expect(err).toMatchObject({ name: 'ThingError', code: 'AWAY', canRetry: true });
    expect(err.message).toBe('the thing is away');
    expect(err.cause).toBe(cause);
  });

  it('should not retry unless told, and have no cause unless given', () => {
    const err = new ThingError('BROKEN', 'broken');
    expect(err.canRetry).toBe(false);
    expect('cause' in err).toBe(false);
    expect(isPulseError(new Error('plain'))).toBe(false);
  });
});
