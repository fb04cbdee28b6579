import { ErrorCode, KafkaError, TopicPartition } from '../../../lib/index.js';
import { accessDenial, type AccessContext } from '../../../lib/transport/server/access-denial.js';

const ctx = (over: Partial<AccessContext> = {}): AccessContext => ({
  topic: '',
  group: 'g',
  subscribed: ['a', 'b', /^c-/],
  assignment: [],
  ...over,
});
const topicDenied = new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED);

describe('accessDenial', () => {
  it('names the subscribed topics that got no partition (no DESCRIBE), the group and the ACL error', () => {
    const d = accessDenial(topicDenied, ctx({ assignment: [new TopicPartition('a', 0)] }));
    expect(d).toEqual({
      kind: 'topic',
      message:
        'Not authorized to read topic b (consumer group "g"): TOPIC_AUTHORIZATION_FAILED (Broker: Topic authorization failed). Nothing is consumed from it until an ACL grants this principal READ and DESCRIBE on it.',
    });
  });

  it("names every subscribed topic when all are assigned (DESCRIBE but no READ), and the record's topic when it has one", () => {
    const all = [new TopicPartition('a', 0), new TopicPartition('b', 0)];
    expect(accessDenial(topicDenied, ctx({ assignment: all }))?.message).toMatch(
      /^Not authorized to read topic a, b, \/\^c-\/ \(consumer group "g"\)/,
    );
    expect(accessDenial(topicDenied, ctx({ topic: 'b' }))?.message).toMatch(/^Not authorized to read topic b \(/);
  });

  it('names the group for GROUP_AUTHORIZATION_FAILED, and ignores other errors', () => {
    const d = accessDenial(new KafkaError(ErrorCode.GROUP_AUTHORIZATION_FAILED), ctx());
    expect(d?.kind).toBe('group');
    expect(d?.message).toBe(
      'Not authorized to use consumer group "g" (topics a, b, /^c-/): GROUP_AUTHORIZATION_FAILED (Broker: Group authorization failed). Nothing is consumed until an ACL grants this principal READ on the group.',
    );
    expect(accessDenial(new KafkaError(ErrorCode._TRANSPORT), ctx())).toBeNull();
  });
});
