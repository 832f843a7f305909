// Concurrent streams per client (a token's subject, else the address): a slot is taken before a
// stream starts and given back when it ends. With Redis (src/stream-limiter.ts) the count is
// shared by every replica: each open stream holds a lease that this process renews for all its
// streams in one pipeline every leaseMs / 3, so the slots of a process that dies free themselves
// within leaseMs. Without Redis (tests, tools) the count is this process's own.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@pulse/logging';
import type { StreamLimiter } from '../stream-limiter.js';

export interface StreamSlots {
  /** A slot for the client: its release function, or undefined when the client holds them all. */
  take(client: string): Promise<(() => void) | undefined>;
  /** Stops renewing (the process is closing; its streams are ending). */
  close(): void;
}

/** Slots counted in this process only. */
export function localSlots(maxPerClient: number): StreamSlots {
  const open = new Map<string, number>();
  return {
    async take(client) {
      const held = open.get(client) ?? 0;
      if (held >= maxPerClient) return undefined;
      open.set(client, held + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(client) ?? 1) - 1;
        if (left > 0) open.set(client, left);
        else open.delete(client);
      };
    },
    close() {},
  };
}

/** Slots leased in Redis, shared by every replica. */
export function leasedSlots(limiter: StreamLimiter, leaseMs: number, logger: Logger): StreamSlots {
  const leases = new Map<string, { client: string; streamId: string }>();
  const timer = setInterval(
    () => {
      limiter
        .renewAll([...leases.values()])
        .catch((err: unknown) => logger.warn({ err }, 'stream slots: renewing leases failed'));
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    async take(client) {
      const streamId = randomUUID();
      let granted: boolean;
      try {
        granted = await limiter.acquire(client, streamId);
      } catch (err) {
        // Redis unreachable: serve rather than refuse everyone, as the request limits do.
        logger.warn({ err }, 'stream slots: Redis did not answer; stream not counted');
        return () => {};
      }
      if (!granted) return undefined;
      leases.set(streamId, { client, streamId });
      return () => {
        if (!leases.delete(streamId)) return;
        limiter
          .release(client, streamId)
          .catch((err: unknown) => logger.warn({ err }, 'stream slots: release failed'));
      };
    },
    close() {
      clearInterval(timer);
    },
  };
}
