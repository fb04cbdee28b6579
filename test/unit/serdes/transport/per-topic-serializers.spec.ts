import { MessageField, ProtobufDeserializer, ProtobufSerializer } from '../../../../lib/serdes/index.js';
import { MockSchemaRegistryClient } from '../../../../lib/testing/mock-schema-registry.client.js';
import { RdKafkaRequestSerializer } from '../../../../lib/transport/serdes/rdkafka-request.serializer.js';

const PROTO = 'syntax = "proto3"; package ev; message E { int64 n = 1; }';

describe('RdKafkaRequestSerializer: serializers chosen per pattern (ClientRdKafka `serializers`)', () => {
  it("encodes a topic's values and keys with its serializers, other topics with the defaults or the JSON rules", async () => {
    const registry = new MockSchemaRegistryClient();
    const tagKey = { serialize: (k: unknown) => Buffer.from(`key:${String(k)}`) };
    const serializer = new RdKafkaRequestSerializer(undefined, undefined, {
      'events.proto': { value: new ProtobufSerializer(registry, PROTO), key: tagKey },
    });
    const proto = await serializer.serialize({ key: 'k1', value: { n: 2n ** 63n - 1n } }, { pattern: 'events.proto' });
    expect(proto.key?.toString()).toBe('key:k1');
    expect(await new ProtobufDeserializer(registry).deserialize(proto.value, { topic: 'events.proto', field: MessageField.VALUE })).toEqual(
      { n: 2n ** 63n - 1n },
    );
    const json = await serializer.serialize({ key: 'k2', value: { n: 1 } }, { pattern: 'events.json' });
    expect([json.key?.toString(), json.value?.toString()]).toEqual(['k2', '{"n":1}']);
  });

  it('lets the per-topic serializer win over valueSerializer only for its topic', async () => {
    const mark = (m: string) => ({ serialize: () => Buffer.from(m) });
    const serializer = new RdKafkaRequestSerializer(mark('default'), undefined, { special: { value: mark('special') } });
    expect((await serializer.serialize(1, { pattern: 'special' })).value?.toString()).toBe('special');
    expect((await serializer.serialize(1, { pattern: 'other' })).value?.toString()).toBe('default');
  });
});
