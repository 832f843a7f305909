// uniqueTopic, retried when kafkajs's createTopics fails with "This server does not host this
// topic-partition": its waitForLeaders retries only LEADER_NOT_AVAILABLE, so on a loaded machine
// the metadata read right after creating a topic can fail although the topic was created. A retry
// makes a new topic (the first one then stays on the test broker: a testkit fix is proposed).
import { uniqueTopic, type UniqueTopicOptions } from '@pulse/testkit';

export async function createTestTopic(options: UniqueTopicOptions, attempts = 3): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await uniqueTopic(options);
    } catch (err) {
      const unknown = (err as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION';
      if (!unknown || attempt >= attempts) throw err;
    }
  }
}
