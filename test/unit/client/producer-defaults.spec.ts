import { producerDefaults } from '../../../lib/client/config/producer-defaults.js';

describe('producerDefaults', () => {
  const ON = { 'enable.idempotence': true };

  it('turns idempotence on when nothing rules it out (acks all, the default, included)', () => {
    expect(producerDefaults({ 'bootstrap.servers': 'a:1' })).toEqual(ON);
    for (const acks of [-1, '-1', 'all', 'ALL', 'All']) expect(producerDefaults({ acks })).toEqual(ON);
    expect(producerDefaults({ 'max.in.flight': 5, retries: 3 })).toEqual(ON);
  });

  it("keeps the user's own enable.idempotence, false included", () => {
    expect(producerDefaults({ 'enable.idempotence': false })).toEqual({});
    expect(producerDefaults({ 'enable.idempotence': true })).toEqual({});
  });

  it.each([
    [{ acks: 1 }],
    [{ acks: '0' }],
    [{ 'request.required.acks': 1 }],
    [{ 'max.in.flight': 6 }],
    [{ 'max.in.flight.requests.per.connection': 1000 }],
    [{ retries: 0 }],
    [{ 'message.send.max.retries': '0' }],
  ])('leaves idempotence off when %j rules it out (librdkafka would refuse the combination)', (props) => {
    expect(producerDefaults(props)).toEqual({});
  });
});
