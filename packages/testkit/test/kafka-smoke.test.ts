import type { Consumer, EachMessagePayload } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { testConsumer, testKafka, testProducer, uniqueGroupId, uniqueTopic } from '../src/index.js';

/** Runs `consumer` until it has seen `count` messages; resolves with their values in arrival order. */
function collect(
  consumer: Consumer,
  count: number,
  onMessage?: (payload: EachMessagePayload) => Promise<void>,
) {
  return new Promise<string[]>((resolve, reject) => {
    const values: string[] = [];
    consumer
      .run({
        eachMessage: async (payload) => {
          values.push(payload.message.value?.toString() ?? '');
          await onMessage?.(payload);
          if (values.length === count) resolve(values);
        },
      })
      .catch(reject);
  });
}

describe('kafkajs against the real broker', () => {
  it('idempotent producer and consumer group should exchange every message in key order', async () => {
    const topic = await uniqueTopic({ partitions: 3, label: 'smoke' });
    const producer = await testProducer();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `trust-${i % 5}`, value: `m${i}` }));
    await producer.send({ topic, messages: sent });

    const consumer = await testConsumer({ groupId: uniqueGroupId() });
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const keyed: Record<string, string[]> = {};
    const received = await collect(consumer, sent.length, async ({ message }) => {
      (keyed[message.key?.toString() ?? ''] ??= []).push(message.value?.toString() ?? '');
    });

    expect([...received].sort()).toEqual(sent.map((m) => m.value).sort());
    for (const [key, values] of Object.entries(keyed)) {
      expect(values).toEqual(sent.filter((m) => m.key === key).map((m) => m.value));
    }
  });

  it('consumer should resume from the committed offset after a restart in the same group', async () => {
    const topic = await uniqueTopic({ label: 'resume' });
    const groupId = uniqueGroupId('resume');
    const producer = await testProducer();
    const batch = (name: string) =>
      Array.from({ length: 5 }, (_, i) => ({ value: `${name}-${i}` }));
    await producer.send({ topic, messages: batch('first') });

    const first = await testConsumer({ groupId });
    await first.subscribe({ topics: [topic], fromBeginning: true });
    const firstValues = await collect(first, 5);
    // run() commits each batch's offsets; disconnect commits what is left and leaves the group.
    await first.disconnect();
    expect(firstValues).toEqual(batch('first').map((m) => m.value));

    const admin = testKafka().admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    expect(committed?.partitions).toEqual([{ partition: 0, offset: '5', metadata: null }]);

    await producer.send({ topic, messages: batch('second') });
    const restarted = await testConsumer({ groupId });
    // fromBeginning only applies to a group with no committed offset: this one has offset 5.
    await restarted.subscribe({ topics: [topic], fromBeginning: true });
    expect(await collect(restarted, 5)).toEqual(batch('second').map((m) => m.value));
  });
});
