// Reads a topic back with kafkajs and the codec and compares it with a sent log.
import { createCodec, type ActivityEvent } from '@pulse/contracts';
import { testConsumer, uniqueGroupId } from '@pulse/testkit';
import { expect } from 'vitest';
import { sentLogEntries } from '@pulse/verify';

interface Landed {
  key: string;
  value: Buffer;
}

/** Every record of the topic, per partition in offset order, once `count` have arrived. */
export async function readTopic(topic: string, count: number): Promise<Map<number, Landed[]>> {
  const consumer = await testConsumer({ groupId: uniqueGroupId('simulator-readback') });
  await consumer.subscribe({ topic, fromBeginning: true });
  const byPartition = new Map<number, Landed[]>();
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          let list = byPartition.get(batch.partition);
          if (!list) byPartition.set(batch.partition, (list = []));
          for (const m of batch.messages) list.push({ key: m.key!.toString(), value: m.value! });
          seen += batch.messages.length;
          if (seen >= count) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return byPartition;
}

/**
 * The topic holds exactly the log: per partition the same records in the same order, with the
 * same key and bytes, each decodable one decoding to the logged event. Returns the record count.
 */
export async function expectTopicEqualsLog(topic: string, logFile: string): Promise<number> {
  const codec = createCodec();
  const logged = new Map<
    number,
    { key: string; event: ActivityEvent | null; bytes: Buffer | null }[]
  >();
  let count = 0;
  for await (const entry of sentLogEntries(logFile)) {
    expect(entry.seq).toBe(count);
    expect(entry.partition).not.toBeNull();
    let list = logged.get(entry.partition!);
    if (!list) logged.set(entry.partition!, (list = []));
    list.push({ key: entry.key, event: entry.event, bytes: entry.bytes });
    count++;
  }
  const landed = await readTopic(topic, count);
  expect([...landed.keys()].sort()).toEqual([...logged.keys()].sort());
  for (const [partition, records] of logged) {
    const got = landed.get(partition)!;
    expect(got.length).toBe(records.length);
    records.forEach((want, i) => {
      const { key, value } = got[i]!;
      if (key !== want.key) expect({ partition, i, key }).toEqual({ partition, i, key: want.key });
      if (want.event) {
        const decoded = codec.decode(value);
        if (decoded.eventId !== want.event.eventId) expect(decoded).toEqual(want.event);
        expect(decoded).toEqual(want.event);
      } else if (!value.equals(want.bytes!)) {
        expect(value.toString('base64')).toBe(want.bytes!.toString('base64'));
      }
    });
  }
  return count;
}
