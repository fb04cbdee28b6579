// Compiled by `npm run typecheck` (tsconfig.json includes test/), never run: each `@ts-expect-error` line must stay
// an error and every other line must compile, so the librdkafka config typings cannot regress either way.
import type { ClientConfig, ConsumerConfig, ProducerConfig } from '../../lib/client/config/index.js';
import type { AdminClientConfig } from '../../lib/admin/index.js';
import type { RdKafkaModuleOptions } from '../../lib/module/index.js';

const servers = '127.0.0.1:9092';

// Known keys with librdkafka's value types: acks and its aliases, numbers as numbers or numeric strings, enums in
// either case, booleans, and linger.ms next to its alias queue.buffering.max.ms.
export const producers: ProducerConfig[] = [
  { 'bootstrap.servers': servers, acks: 'all', 'linger.ms': 5 },
  { 'bootstrap.servers': servers, acks: -1, 'queue.buffering.max.ms': 0.5 },
  { 'bootstrap.servers': servers, acks: 0, 'request.required.acks': '1', 'compression.codec': 'zstd' },
  { 'bootstrap.servers': servers, acks: 'ALL', 'enable.idempotence': true, 'security.protocol': 'SASL_SSL' },
  { 'bootstrap.servers': servers, acks: '-1', 'batch.num.messages': '10000', 'enable.idempotence': 'true' },
  // @ts-expect-error a misspelt acks value
  { 'bootstrap.servers': servers, acks: 'alll' },
  // @ts-expect-error linger.ms is a number of milliseconds
  { 'bootstrap.servers': servers, 'linger.ms': 'soon' },
  // @ts-expect-error a misspelt key: librdkafka's is bootstrap.servers
  { 'bootstrap.server': servers },
  // @ts-expect-error group.id is a consumer property (C in librdkafka's C/P column)
  { 'bootstrap.servers': servers, 'group.id': 'g' },
];

export const consumers: ConsumerConfig[] = [
  { 'bootstrap.servers': servers, 'group.id': 'g', 'auto.offset.reset': 'earliest', 'enable.auto.commit': false },
  // @ts-expect-error a misspelt key: librdkafka's is group.id
  { 'bootstrap.servers': servers, 'group.id': 'g', 'group.idd': 'g' },
  // @ts-expect-error not an auto.offset.reset value
  { 'bootstrap.servers': servers, 'group.id': 'g', 'auto.offset.reset': 'oldest' },
  // @ts-expect-error linger.ms is a producer property (P in librdkafka's C/P column)
  { 'bootstrap.servers': servers, 'group.id': 'g', 'linger.ms': 5 },
];

// The shared config takes the "*" properties only; the deliberate escape takes keys the typings lack, and
// refuses the ones they have, so those are always checked.
export const shared: ClientConfig[] = [
  { 'bootstrap.servers': servers, 'client.id': 'app', 'socket.keepalive.enable': true },
  { 'bootstrap.servers': servers, unknownProperties: { 'some.future.property': 5, 'another.one': 'x' } },
  // @ts-expect-error a known key in the escape: set it at the top level
  { 'bootstrap.servers': servers, unknownProperties: { 'linger.ms': 5 } },
  // @ts-expect-error the escape takes librdkafka values, not objects
  { 'bootstrap.servers': servers, unknownProperties: { 'some.future.property': {} } },
  // @ts-expect-error enable.idempotence is a producer property
  { 'bootstrap.servers': servers, 'enable.idempotence': true },
];

// The module's options check the same keys in each place.
export const moduleOptions: RdKafkaModuleOptions[] = [
  { client: { 'bootstrap.servers': servers }, producer: { 'linger.ms': 5, acks: 'all' }, consumer: { 'group.id': 'g' } },
  // @ts-expect-error a misspelt key in the shared config
  { client: { 'bootstrap.server': servers } },
  // @ts-expect-error a misspelt key in the producer's config
  { client: { 'bootstrap.servers': servers }, producer: { 'linger.mss': 5 } },
];

// The admin client's config: the global keys, bootstrap.servers required, its own request timeout.
export const admins: AdminClientConfig[] = [
  { 'bootstrap.servers': servers, 'request.timeout.ms': 5000, 'security.protocol': 'SASL_SSL', 'sasl.mechanisms': 'PLAIN' },
  { 'bootstrap.servers': servers, unknownProperties: { 'some.future.property': true } },
  // @ts-expect-error a misspelt key
  { 'bootstrap.servers': servers, 'client.idd': 'admin' },
  // @ts-expect-error bootstrap.servers is required
  { 'client.id': 'admin' },
];
