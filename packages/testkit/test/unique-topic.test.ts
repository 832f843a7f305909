// Regression: uniqueTopic failed with "This server does not host this topic-partition" on a fresh
// broker (kafkajs's waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION; tulios/kafkajs#815).
import { describe, expect, it } from 'vitest';
import { testKafka, testProducer, uniqueTopic } from '../src/index.js';

const TOPICS = 20;

// The second test checks what the first left behind, so they run in order (as in a file).
describe('uniqueTopic', () => {
  let topics: string[] = [];

  it('uniqueTopic should give topics in a row that each take a produce at once', async () => {
    const producer = await testProducer();
    for (let i = 0; i < TOPICS; i++) {
      const partitions = 1 + (i % 4);
      const topic = await uniqueTopic({ partitions, label: 'in-a-row' });
      topics.push(topic);
      const messages = Array.from({ length: partitions }, (_, partition) => ({
        partition,
        value: `${topic}/${partition}`,
      }));
      const sent = await producer.send({ topic, messages });
      expect(sent.map((r) => r.partition).sort()).toEqual(messages.map((m) => m.partition));
      expect(sent.every((r) => r.errorCode === 0)).toBe(true);
    }
    expect(new Set(topics).size).toBe(TOPICS);
  });

  it('uniqueTopic should have deleted every topic when the previous test finished', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const present = await admin.listTopics().finally(() => admin.disconnect());
    expect(topics).toHaveLength(TOPICS);
    expect(present.filter((topic) => topics.includes(topic))).toEqual([]);
    topics = [];
  });
});
