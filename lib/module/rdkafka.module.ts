import { Module } from '@nestjs/common';
import { ConfigurableModuleClass } from './rdkafka-module-definition.js';

/**
 * Kafka for a Nest application: `RdKafkaAdminService`, `RdKafkaProducerService`, a `ClientRdKafka`, a
 * `ServerRdKafka` for `app.connectMicroservice({ strategy })` and `RdKafkaHealthIndicator`, all sharing one
 * librdkafka config and Nest's logger. Declared `topics` are created at bootstrap when missing. Give a `name` to
 * talk to several clusters (`@InjectRdKafkaClient(name)`…).
 * @example
 * RdKafkaModule.forRoot({ client: { 'bootstrap.servers': 'localhost:9092' }, topics: [{ name: 'orders', numPartitions: 3 }] })
 * @example
 * RdKafkaModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService],
 *   useFactory: (c: ConfigService) => ({ client: { 'bootstrap.servers': c.get('KAFKA') } }) })
 * @publicApi
 */
@Module({})
export class RdKafkaModule extends ConfigurableModuleClass {}
