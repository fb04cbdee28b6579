import { Message, type MessageHeader } from '../../../../lib/client/message.js';
import { replyAddressOf, topicNameProblem } from '../../../../lib/transport/server/reply-address.js';

function request(headers: MessageHeader[]): Message {
  return new Message({
    topic: 'requests',
    partition: 2,
    offset: 41,
    value: Buffer.from('{}'),
    headers: [['kafka_correlationId', Buffer.from('id-1')], ...headers],
  });
}

describe('topicNameProblem', () => {
  it.each(['replies', 'a.b_c-D9', 'x'.repeat(249)])('accepts the legal name %s', (name) => {
    expect(topicNameProblem(name)).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['.', /not a legal/],
    ['..', /not a legal/],
    ['x'.repeat(250), /250 characters/],
    ['replies\u0000.other', /characters other than/],
    ['bad topic!', /characters other than/],
    ['a/b', /characters other than/],
    ['über', /characters other than/],
  ])('refuses %j', (name, why) => {
    expect(topicNameProblem(name)).toMatch(why);
  });
});

describe('replyAddressOf', () => {
  it('reads topic, partition and correlation id from the raw headers, with the request place', () => {
    const to = replyAddressOf(
      request([
        ['kafka_replyTopic', Buffer.from('replies')],
        ['kafka_replyPartition', Buffer.from('3')],
      ]),
    );
    expect(to).toMatchObject({
      topic: 'replies',
      partition: 3,
      correlationId: 'id-1',
      problem: null,
      topicUsable: true,
      request: { topic: 'requests', partition: 2, offset: 41 },
    });
  });

  it('takes a correlation id byte for byte, never as JSON', () => {
    const m = new Message({
      topic: 't',
      partition: 0,
      offset: 0,
      headers: [
        ['kafka_correlationId', Buffer.from('{"a":1}')],
        ['kafka_replyTopic', Buffer.from('r')],
      ],
    });
    expect(replyAddressOf(m).correlationId).toBe('{"a":1}');
  });

  it('lets the partitioner choose without a partition header', () => {
    expect(replyAddressOf(request([['kafka_replyTopic', Buffer.from('replies')]]))).toMatchObject({ partition: undefined, problem: null });
  });

  it('refuses a NUL in the topic (node-rdkafka would cut the name and reply to another topic), shown escaped', () => {
    const to = replyAddressOf(request([['kafka_replyTopic', Buffer.from('replies\u0000.other')]]));
    expect(to.problem).toMatch(/illegal reply topic/);
    expect(to.topicUsable).toBe(false);
    expect(to.shownTopic).toBe('"replies\\u0000.other"');
  });

  it('refuses bytes that are not UTF-8 in the topic', () => {
    expect(replyAddressOf(request([['kafka_replyTopic', Buffer.from([0x72, 0xc3, 0x28])]])).problem).toMatch(/characters other than/);
  });

  it.each(['-1', 'abc', '1.5', '', ' 1', '2147483648', '1e3'])(
    'refuses the partition %j as a bad request, with the topic still usable for an error reply',
    (p) => {
      const to = replyAddressOf(
        request([
          ['kafka_replyTopic', Buffer.from('replies')],
          ['kafka_replyPartition', Buffer.from(p)],
        ]),
      );
      expect(to.problem).toMatch(/illegal reply partition/);
      expect(to.topicUsable).toBe(true);
      expect(to.partition).toBeUndefined();
    },
  );

  it('refuses a repeated reply topic or partition header', () => {
    expect(
      replyAddressOf(
        request([
          ['kafka_replyTopic', Buffer.from('a')],
          ['kafka_replyTopic', Buffer.from('b')],
        ]),
      ).problem,
    ).toMatch(/appears 2 times/);
    expect(
      replyAddressOf(
        request([
          ['kafka_replyTopic', Buffer.from('a')],
          ['kafka_replyPartition', Buffer.from('0')],
          ['kafka_replyPartition', Buffer.from('1')],
        ]),
      ).problem,
    ).toMatch(/appears 2 times/);
  });

  it('refuses a correlation id that cannot be echoed exactly', () => {
    const m = new Message({
      topic: 't',
      partition: 0,
      offset: 0,
      headers: [
        ['kafka_correlationId', Buffer.from([0xff, 0x00])],
        ['kafka_replyTopic', Buffer.from('r')],
      ],
    });
    expect(replyAddressOf(m)).toMatchObject({ topicUsable: false, problem: expect.stringMatching(/correlation id/) });
  });

  it('cuts a huge header in what it shows', () => {
    const to = replyAddressOf(request([['kafka_replyTopic', Buffer.alloc(100_000, 0x61)]]));
    expect(to.shownTopic.length).toBeLessThan(400);
    expect(to.shownTopic).toMatch(/100000 bytes/);
  });
});
