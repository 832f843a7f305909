// Key prefixes over a store's life: which one is active (the pointer a rebuild switches,
// @pulse/topology's activePrefixKey), retiring one so no writer can apply to it again, and dropping
// its keys. docs/aggregation.md, "Rebuild", gives the procedure these serve.
import type { Redis } from 'ioredis';
import { activePrefixKey, parseActivePrefix, partitionKey } from '@pulse/topology';
import { StoreError } from './errors.js';
import { partitionKeys } from './keys.js';

/**
 * What a retired prefix's offset keys hold instead of an offset. The apply script's fence
 * compares the stored offset with the one its writer probed, which is never this, so no apply
 * reaches a retired prefix; the probe reports it as PREFIX_RETIRED.
 */
export const RETIRED_OFFSET = 'retired';

/**
 * How long a retired prefix's offset keys stay after its other keys are dropped: a writer that
 * has not yet followed the pointer is fenced out (and told) for this long rather than finding
 * no offset and starting the prefix again.
 */
export const RETIRED_OFFSET_TTL_MS = 24 * 60 * 60_000;

/** A writer probed or applied to a prefix a rebuild has retired: follow the pointer. */
export class PrefixRetiredError extends StoreError {
  constructor(readonly prefix: string) {
    super('PREFIX_RETIRED', `key prefix ${prefix} was retired by a rebuild: follow the pointer`);
  }
}

/** Throws PrefixRetiredError when a stored offset is the retired mark. */
export function checkNotRetired(prefix: string, stored: string | null): string | null {
  if (stored === RETIRED_OFFSET) throw new PrefixRetiredError(prefix);
  return stored;
}

/** The active prefix under KEY_PREFIX `base`, read once (ActivePrefixError if the pointer is bad). */
export async function readActivePrefix(redis: Redis, base: string): Promise<string> {
  return parseActivePrefix(base, await redis.get(activePrefixKey(base)));
}

export interface ActivePrefix {
  /** The prefix as last read (the one read at start until a refresh sees a change). */
  current(): string;
  /** Reads the pointer now; a bad pointer keeps the current prefix and is reported. */
  refresh(): Promise<string>;
  stop(): void;
}

export interface FollowOptions {
  /** How often the pointer is read again, in ms. */
  refreshMs: number;
  /** Called when a refresh finds another prefix (after current() returns it). */
  onChange?(prefix: string, previous: string): void;
  /** A failed read or a bad pointer; the current prefix stays. */
  onError(err: unknown): void;
}

/**
 * Follows the pointer: reads it now (throwing if it is bad, so a process does not start on the
 * wrong figures), then every refreshMs. current() is synchronous, so a request reads no more
 * than one prefix whatever happens meanwhile.
 */
export async function followActivePrefix(
  redis: Redis,
  base: string,
  options: FollowOptions,
): Promise<ActivePrefix> {
  let prefix = await readActivePrefix(redis, base);
  let running: Promise<string> | undefined;
  const read = async () => {
    try {
      const next = await readActivePrefix(redis, base);
      if (next !== prefix) {
        const previous = prefix;
        prefix = next;
        options.onChange?.(next, previous);
      }
    } catch (err) {
      options.onError(err);
    }
    return prefix;
  };
  const refresh = () => (running ??= read().finally(() => (running = undefined)));
  const timer = setInterval(() => void refresh(), options.refreshMs);
  timer.unref();
  return { current: () => prefix, refresh, stop: () => clearInterval(timer) };
}

/** Where a prefix's figures are: its name, the topic its keys are tagged with, the partitions. */
export interface PrefixSpace {
  prefix: string;
  topic: string;
  partitions: number;
}

/**
 * Marks every partition of a prefix retired (RETIRED_OFFSET, kept RETIRED_OFFSET_TTL_MS), each in
 * one atomic SET ... GET, and returns the offset each held then (null: none, or already retired):
 * every apply to the prefix happened before that, and none can happen after.
 */
export async function retirePrefix(
  redis: Redis,
  space: PrefixSpace,
): Promise<Map<number, string | null>> {
  const held = new Map<number, string | null>();
  for (let partition = 0; partition < space.partitions; partition++) {
    const key = partitionKeys(partitionKey(space.prefix, space.topic, partition)).offset;
    const before = await redis.set(key, RETIRED_OFFSET, 'PX', RETIRED_OFFSET_TTL_MS, 'GET');
    held.set(partition, before === RETIRED_OFFSET ? null : before);
  }
  return held;
}

/** A Redis glob matching `text` literally. */
function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Unlinks every key of a prefix's figures (`<prefix>:{<topic>:*`; prefixes have no braces, so no
 * other prefix's keys match) in SCAN batches of about `batch`, one UNLINK per hash tag, except
 * retired offset keys, which expire by themselves. Returns how many keys were unlinked. On Redis
 * Cluster, run it against every primary (SCAN walks one node).
 */
export async function dropPrefix(
  redis: Redis,
  space: Omit<PrefixSpace, 'partitions'>,
  batch = 1_000,
): Promise<number> {
  if (/[\s{}]/.test(space.prefix) || space.prefix === '')
    throw new StoreError('BAD_OPTION', 'a prefix has no spaces or braces and is not empty');
  const pattern = `${globLiteral(space.prefix)}:{${globLiteral(space.topic)}:*`;
  let cursor = '0';
  let dropped = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', batch);
    cursor = next;
    const offsets = keys.filter((key) => key.endsWith('}:offset'));
    const held = await Promise.all(offsets.map((key) => redis.get(key)));
    const retired = new Set(offsets.filter((_, i) => held[i] === RETIRED_OFFSET));
    // One UNLINK per partition's hash tag, so each names keys of one slot (Redis Cluster).
    const bySlot = new Map<string, string[]>();
    for (const key of keys) {
      if (retired.has(key)) continue;
      const tag = key.slice(key.indexOf('{'), key.indexOf('}') + 1);
      bySlot.set(tag, [...(bySlot.get(tag) ?? []), key]);
    }
    for (const group of bySlot.values()) dropped += await redis.unlink(...group);
  } while (cursor !== '0');
  return dropped;
}
