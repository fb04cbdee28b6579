import {
  MessageField,
  recordSubjectNameStrategy,
  topicRecordSubjectNameStrategy,
  topicSubjectNameStrategy,
} from '../../../lib/serdes/index.js';

const value = { topic: 'orders', field: MessageField.VALUE };
const key = { topic: 'orders', field: MessageField.KEY };

describe('subject name strategies', () => {
  it('topic: <topic>-value and <topic>-key, whatever the record', () => {
    expect(topicSubjectNameStrategy(value, 'com.acme.Order')).toBe('orders-value');
    expect(topicSubjectNameStrategy(key, undefined)).toBe('orders-key');
  });

  it('record: the full name, the same for keys and values of any topic', () => {
    expect(recordSubjectNameStrategy(value, 'com.acme.Order')).toBe('com.acme.Order');
    expect(recordSubjectNameStrategy({ topic: 'other', field: MessageField.KEY }, 'com.acme.Order')).toBe('com.acme.Order');
  });

  it('topic-record: <topic>-<fullname>', () => {
    expect(topicRecordSubjectNameStrategy(value, 'com.acme.Order')).toBe('orders-com.acme.Order');
  });

  it('record strategies refuse unnamed schemas', () => {
    expect(() => recordSubjectNameStrategy(value, undefined)).toThrow('the record subject name strategy needs a named schema');
    expect(() => topicRecordSubjectNameStrategy(value, undefined)).toThrow('the topic-record subject name strategy needs a named schema');
  });
});
