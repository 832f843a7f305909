import { readFile } from 'node:fs/promises';
import type { ChainableCommander, Redis, RedisKey, RedisValue } from 'ioredis';

export interface LuaScript {
  /** The command name it is defined under on a client (letters, digits, underscores). */
  name: string;
  /** The script's source. */
  lua: string;
  /**
   * How many of the arguments are keys (KEYS[1..n]); the rest are ARGV. Omitted for a script
   * whose key count varies: each call then passes as many keys as it has.
   */
  numberOfKeys?: number;
  /** Run with EVALSHA_RO, so replicas may serve it: for scripts that write nothing. */
  readOnly?: boolean;
}

/** Runs a defined script: its keys, then its other arguments; or queues it on a pipeline. */
export interface ScriptCall {
  (keys: readonly RedisKey[], args?: readonly RedisValue[]): Promise<unknown>;
  /** Queues the script on a pipeline or MULTI of the same client (its reply comes with exec()). */
  queue(
    pipeline: ChainableCommander,
    keys: readonly RedisKey[],
    args?: readonly RedisValue[],
  ): void;
}

type DefinedCommand = (...keysAndArgs: (RedisKey | RedisValue)[]) => unknown;

// The scripts defined on each client by defineScript, by name, so a clash of names is caught.
const definedOn = new WeakMap<Redis, Map<string, string>>();

/** Reads a script's source from a file, e.g. `new URL('./apply.lua', import.meta.url)`. */
export async function readLua(file: URL | string): Promise<string> {
  return readFile(file, 'utf8');
}

/**
 * Defines `script` on `redis` and returns a function that runs it. ioredis sends EVALSHA and
 * falls back to EVAL (which also caches the script) when the server answers NOSCRIPT, after a
 * restart or a SCRIPT FLUSH, so callers never handle that. Defining the same script again on a
 * client is a no-op; another script under the same name is refused.
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
      ...(script.numberOfKeys === undefined ? {} : { numberOfKeys: script.numberOfKeys }),
      readOnly: script.readOnly ?? false,
    });
    defined.set(script.name, script.lua);
  }
  const argumentsOf = (keys: readonly RedisKey[], args: readonly RedisValue[]) => {
    if (script.numberOfKeys === undefined) return [keys.length, ...keys, ...args];
    if (keys.length !== script.numberOfKeys) {
      throw new Error(`${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
    }
    return [...keys, ...args];
  };
  // defineCommand puts the command on the client and on the pipelines it creates.
  const commandOf = (target: Redis | ChainableCommander) =>
    (target as unknown as Record<string, DefinedCommand>)[script.name]!;
  const call = (keys: readonly RedisKey[], args: readonly RedisValue[] = []) =>
    commandOf(redis).call(redis, ...argumentsOf(keys, args)) as Promise<unknown>;
  return Object.assign(call, {
    queue(
      pipeline: ChainableCommander,
      keys: readonly RedisKey[],
      args: readonly RedisValue[] = [],
    ) {
      commandOf(pipeline).call(pipeline, ...argumentsOf(keys, args));
    },
  });
}
