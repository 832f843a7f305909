import { describe, expect, it } from 'vitest';
import { ConfigError, host, keyPrefix, loadConfig } from '../src/index.js';

const shape = { KEY_PREFIX: keyPrefix() };

/** The problems loadConfig reports for `env`, or [] when it loads. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(shape, env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('keyPrefix', () => {
  it('keyPrefix should default to pulse, or to the fallback given', () => {
    expect(loadConfig(shape, {}).KEY_PREFIX).toBe('pulse');
    expect(loadConfig({ KEY_PREFIX: keyPrefix('tenant-a') }, {}).KEY_PREFIX).toBe('tenant-a');
  });

  it('keyPrefix should accept 1-100 characters without spaces or braces', () => {
    for (const value of ['p', 'pulse:test-1.a_b', 'x'.repeat(100)]) {
      expect(loadConfig(shape, { KEY_PREFIX: value }).KEY_PREFIX).toBe(value);
    }
  });

  it('keyPrefix should reject spaces, braces (the hash tag follows it) and over 100 characters', () => {
    for (const value of ['a b', 'a\tb', 'a{b', 'a}b', 'x'.repeat(101)]) {
      expect(problemsOf({ KEY_PREFIX: value }), value).toEqual([
        'KEY_PREFIX: must be 1-100 characters without spaces or braces',
      ]);
    }
  });
});

describe('host', () => {
  it('host should default to loopback, so a laptop does not expose the server', () => {
    expect(loadConfig({ HOST: host() }, {}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: host() }, { HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });
});
