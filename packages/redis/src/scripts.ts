import { readFile } from 'node:fs/promises';
import type { Redis, RedisKey, RedisValue } from 'ioredis';

export interface LuaScript {
  /** The command name it is defined under on a client (letters, digits, underscores). */
  name: string;
  /** The script's source. */
  lua: string;
  /** How many of the arguments are keys (KEYS[1..n]); the rest are ARGV. */
  numberOfKeys: number;
  /** Run with EVALSHA_RO, so replicas may serve it: for scripts that write nothing. */
  readOnly?: boolean;
}

/** Runs a defined script: its keys, then its other arguments. */
export type ScriptCall = (
  keys: readonly RedisKey[],
  args?: readonly RedisValue[],
) => Promise<unknown>;

type DefinedCommand = (...keysAndArgs: (RedisKey | RedisValue)[]) => Promise<unknown>;

// The scripts defined on each client by defineScript, by name, so a clash of names is caught.
const definedOn = new WeakMap<Redis, Map<string, string>>();

/** Reads a script's source from a file, e.g. `new URL('./apply.lua', import.meta.url)`. */
export async function readLua(file: URL | string): Promise<string> {
  return readFile(file, 'utf8');
}

/**
 * Defines `script` on `redis` and returns a function that runs it. ioredis sends EVALSHA and
 * falls back to EVAL (which also caches the script) when the server answers NOSCRIPT, after a
 * restart or a SCRIPT FLUSH, so callers never handle that. The command is also there on
 * pipelines and MULTI as `pipeline[script.name](...)`.
 */
export function defineScript(redis: Redis, script: LuaScript): ScriptCall {
  if (!/^\w+$/.test(script.name))
    throw new Error(`invalid script name ${JSON.stringify(script.name)}`);
  const defined = definedOn.get(redis) ?? new Map<string, string>();
  definedOn.set(redis, defined);
  const known = defined.get(script.name);
  if (known !== undefined && known !== script.lua) {
    throw new Error(`another script is already defined as ${script.name} on this client`);
  }
  if (known === undefined) {
    redis.defineCommand(script.name, {
      lua: script.lua,
      numberOfKeys: script.numberOfKeys,
      readOnly: script.readOnly ?? false,
    });
    defined.set(script.name, script.lua);
  }
  const commands = redis as unknown as Record<string, DefinedCommand>;
  const command = commands[script.name] as DefinedCommand;
  return (keys, args = []) => {
    if (keys.length !== script.numberOfKeys) {
      throw new Error(`${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
    }
    return command.call(redis, ...keys, ...args);
  };
}
