import { randomUUID } from 'node:crypto';
import {
  type AvroType,
  AvroDeserializer,
  AvroSerializer,
  MessageField,
  type Schema,
  SchemaRegistryClient,
} from '../../../lib/serdes/index.js';
import { loadAvroType } from '../../../lib/serdes/avro/avro-references.js';
import { uniqueTopic } from '../helpers/kafka-env.js';
import { consumeRaw, produceRaw } from '../helpers/raw-kafka-io.js';
import { schemaRegistryUrl } from '../helpers/schema-registry-env.js';
import { createTopic } from '../helpers/topics.js';
import { pythonConsume, pythonProduce, pythonRegister, type Registration, type TaggedRecord } from './python-avro-peer.js';
import { compareFields, tagged } from './tagged-values.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX = 2n ** 63n - 1n;
/** ±(2^63-1), -2^63, ±2^53±1, around ±2^52, the bug report's value, int32 edges. */
const LONGS = [
  MAX,
  -MAX,
  -(2n ** 63n),
  SAFE,
  -SAFE,
  SAFE + 1n,
  -SAFE - 1n,
  SAFE + 2n,
  -SAFE - 2n,
  SAFE - 1n,
  2n ** 52n,
  -(2n ** 52n),
  2n ** 52n + 1n,
  -(2n ** 52n) - 1n,
  2n ** 52n - 1n,
  -4503599627370497n,
  2n ** 31n,
  -(2n ** 31n) - 1n,
  0n,
];
const auto = (n: bigint): number | bigint => (n >= -SAFE && n <= SAFE ? Number(n) : n);
const DOUBLES = [Number.NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, Number.MAX_VALUE, 0.1];
const STRINGS = ['', 'clef 𝄞 and 😀 outside the BMP', 'ü'.repeat(40_000)];
const BYTES = [Buffer.alloc(0), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(100_000, 0xab)];

const LONG_SCHEMA = {
  type: 'record',
  name: 'Longs',
  namespace: 'it.interop.python',
  fields: [
    { name: 'n', type: 'long' },
    { name: 'byName', type: { type: 'map', values: 'long' } },
    { name: 'list', type: { type: 'array', items: 'long' } },
    { name: 'maybe', type: ['null', 'long'], default: null },
    { name: 'd', type: 'double' },
    { name: 's', type: 'string' },
    { name: 'b', type: 'bytes' },
  ],
};
const longRecords = LONGS.map((n, i) => ({
  key: auto(n),
  value: {
    n: auto(n),
    byName: { v: auto(n), zero: 0 },
    list: [auto(n), auto(-n - 1n)],
    maybe: i % 2 ? null : auto(n),
    d: DOUBLES[i % DOUBLES.length],
    s: STRINGS[i % STRINGS.length],
    b: BYTES[i % BYTES.length],
  },
}));

const logical = (type: string, logicalType: string, extra: Record<string, unknown> = {}) => ({ type, logicalType, ...extra });
const LOGICAL_SCHEMA = {
  type: 'record',
  name: 'Logical',
  namespace: 'it.interop.python',
  fields: [
    { name: 'at', type: logical('long', 'timestamp-millis') },
    { name: 'atMicros', type: logical('long', 'timestamp-micros') },
    { name: 'day', type: logical('int', 'date') },
    { name: 'time', type: logical('int', 'time-millis') },
    { name: 'timeMicros', type: logical('long', 'time-micros') },
    { name: 'amount', type: logical('bytes', 'decimal', { precision: 38, scale: 9 }) },
    { name: 'price', type: { type: 'fixed', name: 'Price', size: 8, logicalType: 'decimal', precision: 18, scale: 2 } },
    { name: 'id', type: logical('string', 'uuid') },
    { name: 'seen', type: ['null', logical('long', 'timestamp-millis')], default: null },
  ],
};
// Python's datetime spans years 1 to 9999: the timestamps cover that span to the µs. 0001-01-01T00:00:00Z:
const FIRST_MS = -62_135_596_800_000;
const logicalRecords = [
  {
    at: new Date(FIRST_MS),
    atMicros: BigInt(FIRST_MS) * 1000n,
    day: new Date(FIRST_MS),
    time: 0,
    timeMicros: 0n,
    amount: '-99999999999999999999999999999.999999999',
    price: '-9999999999999999.99',
    id: randomUUID(),
    seen: null,
  },
  {
    at: new Date('9999-12-31T23:59:59.999Z'),
    atMicros: 253402300799999999n,
    day: new Date('9999-12-31T00:00:00Z'),
    time: 86_399_999,
    timeMicros: 86_399_999_999n,
    amount: '99999999999999999999999999999.999999999',
    price: '9999999999999999.99',
    id: randomUUID(),
    seen: new Date(),
  },
  {
    at: new Date(0),
    atMicros: 1n,
    day: new Date(0),
    time: 1,
    timeMicros: 1n,
    amount: '0.000000001',
    price: '0.00',
    id: randomUUID(),
    seen: new Date(-1),
  },
  {
    at: new Date(-1),
    atMicros: -1n,
    day: new Date(-86_400_000),
    time: 43_200_000,
    timeMicros: 43_200_000_001n,
    amount: '-0.000000001',
    price: '-0.01',
    id: randomUUID(),
    seen: new Date(1),
  },
].map((value) => ({ value }));

/** Both sides' records as tagged JSON, compared field by field; the counts are printed. */
function compareRecords(
  label: string,
  keyType: AvroType | undefined,
  valueType: AvroType,
  expected: Array<{ key?: unknown; value: unknown }>,
  actual: TaggedRecord[],
) {
  const diffs: string[] = [];
  let fields = 0;
  expected.forEach((e, i) => {
    fields += compareFields(tagged(valueType, e.value), actual[i]?.value, `[${i}].value`, diffs);
    if (keyType) fields += compareFields(tagged(keyType, e.key), actual[i]?.key, `[${i}].key`, diffs);
  });
  console.log(`${label}: ${expected.length} records, ${fields} fields compared, ${diffs.length} different`);
  expect(diffs).toEqual([]);
  expect(actual).toHaveLength(expected.length);
}

describe("Avro interop with Confluent's Python client (confluent_kafka + python3-avro) through the registry and broker", () => {
  let registry: SchemaRegistryClient;
  beforeAll(() => {
    registry = new SchemaRegistryClient({ url: schemaRegistryUrl() });
  });
  const typeOf = (schema: Schema) => loadAvroType(registry, schema.schema, schema.references, {});

  async function fromPython(
    label: string,
    schema: Schema,
    records: Array<{ key?: unknown; value: unknown }>,
    opts: { keySchema?: string; register?: Registration[] } = {},
  ) {
    const topic = uniqueTopic('py-to-node');
    await createTopic(topic);
    // The values are tagged by their type, so the referenced schemas must exist first: Python registers them.
    const { register, keySchema } = opts;
    if (register) await pythonRegister(register);
    const [valueType, keyType] = await Promise.all([typeOf(schema), keySchema ? typeOf({ schema: keySchema }) : undefined]);
    await pythonProduce({
      topic,
      schema: schema.schema,
      references: schema.references as Schema['references'] & [],
      keySchema,
      records: records.map((r) => ({ key: keyType ? tagged(keyType, r.key) : undefined, value: tagged(valueType, r.value) })),
    });
    const consumed = await consumeRaw(topic, records.length);
    const de = new AvroDeserializer(registry);
    const decoded = await Promise.all(
      consumed.map(async (m) => ({
        key: m.key && keyType ? tagged(keyType, await de.deserialize(m.key, { topic, field: MessageField.KEY })) : undefined,
        value: tagged(valueType, await de.deserialize(m.value, { topic, field: MessageField.VALUE })),
      })),
    );
    compareRecords(`python→node ${label}`, keyType, valueType, records, decoded);
  }

  async function toPython(label: string, schema: Schema, records: Array<{ key?: unknown; value: unknown }>, keySchema?: string) {
    const topic = uniqueTopic('node-to-py');
    await createTopic(topic);
    const ser = new AvroSerializer(registry, schema);
    const keySer = keySchema ? new AvroSerializer(registry, keySchema) : undefined;
    const bytes = await Promise.all(
      records.map(async (r) => ({
        key: keySer ? await keySer.serialize(r.key, { topic, field: MessageField.KEY }) : null,
        value: await ser.serialize(r.value, { topic, field: MessageField.VALUE }),
      })),
    );
    await produceRaw(topic, bytes);
    const keyType = keySchema ? await typeOf({ schema: keySchema }) : undefined;
    compareRecords(`node→python ${label}`, keyType, await typeOf(schema), records, await pythonConsume(topic, records.length));
  }

  const longSchema = { schema: JSON.stringify(LONG_SCHEMA) };
  it('longs at ±2^63-1, ±2^53±1 and around ±2^52 (in maps, arrays, unions and keys), doubles, strings, bytes: Python → Node', async () => {
    await fromPython('longs', longSchema, longRecords, { keySchema: '"long"' });
  });

  it('the same values: Node → Python', async () => {
    await toPython('longs', longSchema, longRecords, '"long"');
  });

  const logicalSchema = { schema: JSON.stringify(LOGICAL_SCHEMA) };
  it('every logical type at its extremes: Python → Node', async () => {
    await fromPython('logical types', logicalSchema, logicalRecords);
  });

  it('every logical type at its extremes: Node → Python', async () => {
    await toPython('logical types', logicalSchema, logicalRecords);
  });

  describe('evolution: a reader newer than the writer fills long defaults beyond 2^53 exactly', () => {
    const v1 = { type: 'record', name: 'Account', namespace: 'it.interop.python', fields: [{ name: 'id', type: 'string' }] };
    // Written as text: the defaults are integer literals no double can hold.
    const v2 =
      '{"type":"record","name":"Account","namespace":"it.interop.python","fields":[{"name":"id","type":"string"},' +
      '{"name":"limit","type":"long","default":9223372036854775807},{"name":"floor","type":["long","null"],"default":-9007199254740993}]}';
    const accounts = [{ id: 'a' }, { id: 'b' }];

    it('Python writes v1; Node reads with v2', async () => {
      const topic = uniqueTopic('py-evolve');
      await createTopic(topic);
      const v1Type = await typeOf({ schema: JSON.stringify(v1) });
      await pythonProduce({ topic, schema: JSON.stringify(v1), records: accounts.map((value) => ({ value: tagged(v1Type, value) })) });
      const de = new AvroDeserializer(registry, v2);
      const decoded = await Promise.all(
        (await consumeRaw(topic, 2)).map(async (m) => ({
          value: tagged(await typeOf({ schema: v2 }), await de.deserialize(m.value, { topic, field: MessageField.VALUE })),
        })),
      );
      const expected = accounts.map((a) => ({ value: { ...a, limit: 2n ** 63n - 1n, floor: -(2n ** 53n) - 1n } }));
      compareRecords('python→node evolution', undefined, await typeOf({ schema: v2 }), expected, decoded);
    });

    it('Node writes v1; Python reads with v2', async () => {
      const topic = uniqueTopic('node-evolve');
      await createTopic(topic);
      const ser = new AvroSerializer(registry, v1);
      await produceRaw(
        topic,
        await Promise.all(accounts.map(async (a) => ({ value: await ser.serialize(a, { topic, field: MessageField.VALUE }) }))),
      );
      const expected = accounts.map((a) => ({ value: { ...a, limit: 2n ** 63n - 1n, floor: -(2n ** 53n) - 1n } }));
      compareRecords('node→python evolution', undefined, await typeOf({ schema: v2 }), expected, await pythonConsume(topic, 2, v2));
    });
  });

  describe('schema references (Country ← Address ← Person, each its own subject)', () => {
    const ns = `it.interop.refs${randomUUID().replaceAll('-', '')}`;
    const country = { type: 'enum', name: 'Country', namespace: ns, symbols: ['DE', 'FR', 'JP'] };
    const address = {
      type: 'record',
      name: 'Address',
      namespace: ns,
      fields: [
        { name: 'city', type: 'string' },
        { name: 'country', type: `${ns}.Country` },
      ],
    };
    const person = {
      type: 'record',
      name: 'Person',
      namespace: ns,
      fields: [
        { name: 'name', type: 'string' },
        { name: 'home', type: 'Address' },
        { name: 'homes', type: { type: 'array', items: `${ns}.Address` } },
      ],
    };
    const people = [
      { name: 'Ada', home: { city: 'Köln', country: 'DE' }, homes: [] },
      {
        name: '東京',
        home: { city: 'Tokyo', country: 'JP' },
        homes: [
          { city: 'Paris', country: 'FR' },
          { city: 'Lyon', country: 'FR' },
        ],
      },
    ].map((value) => ({ value }));
    const register: Registration[] = [
      [`${ns}.Country`, JSON.stringify(country), null],
      [`${ns}.Address`, JSON.stringify(address), [{ name: `${ns}.Country`, subject: `${ns}.Country`, version: 1 }]],
    ];
    const personSchema: Schema = {
      schema: JSON.stringify(person),
      schemaType: 'AVRO',
      references: [{ name: `${ns}.Address`, subject: `${ns}.Address`, version: 1 }],
    };

    it('Python registers and writes with references; Node reads', async () => {
      await fromPython('references', personSchema, people, { register });
    });

    it('Node registers with references (auto-register) and writes; Python reads, fetching the referenced versions', async () => {
      for (const [subject, schema, references] of register) await registry.register(subject, { schema, references: references ?? [] });
      await toPython('references', personSchema, people);
    });
  });
});
