import { Inject } from '@nestjs/common';
import {
  getRdKafkaAdminToken,
  getRdKafkaClientToken,
  getRdKafkaHealthToken,
  getRdKafkaProducerToken,
  getRdKafkaServerToken,
} from './rdkafka.tokens.js';

/**
 * Injects a module's `ClientRdKafka`.
 * @param name the `name` given to `RdKafkaModule.forRoot`; omit for the unnamed module
 * @example constructor(@InjectRdKafkaClient('billing') private readonly billing: ClientRdKafka) {}
 * @publicApi
 */
export const InjectRdKafkaClient = (name?: string): ParameterDecorator & PropertyDecorator => Inject(getRdKafkaClientToken(name));

/**
 * Injects a module's `RdKafkaAdminService`.
 * @param name the module's `name`; omit for the unnamed module
 * @example constructor(@InjectRdKafkaAdmin('billing') private readonly admin: RdKafkaAdminService) {}
 * @publicApi
 */
export const InjectRdKafkaAdmin = (name?: string): ParameterDecorator & PropertyDecorator => Inject(getRdKafkaAdminToken(name));

/**
 * Injects a module's `RdKafkaProducerService`.
 * @param name the module's `name`; omit for the unnamed module
 * @example constructor(@InjectRdKafkaProducer('billing') private readonly events: RdKafkaProducerService) {}
 * @publicApi
 */
export const InjectRdKafkaProducer = (name?: string): ParameterDecorator & PropertyDecorator => Inject(getRdKafkaProducerToken(name));

/**
 * Injects a module's `ServerRdKafka`.
 * @param name the module's `name`; omit for the unnamed module
 * @example constructor(@InjectRdKafkaServer() private readonly server: ServerRdKafka) {}
 * @publicApi
 */
export const InjectRdKafkaServer = (name?: string): ParameterDecorator & PropertyDecorator => Inject(getRdKafkaServerToken(name));

/**
 * Injects a module's `RdKafkaHealthIndicator`.
 * @param name the module's `name`; omit for the unnamed module
 * @example constructor(@InjectRdKafkaHealth('billing') private readonly billingHealth: RdKafkaHealthIndicator) {}
 * @publicApi
 */
export const InjectRdKafkaHealth = (name?: string): ParameterDecorator & PropertyDecorator => Inject(getRdKafkaHealthToken(name));
