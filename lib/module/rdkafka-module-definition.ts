import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RdKafkaModuleExtras, RdKafkaModuleOptions } from './interfaces/rdkafka-module-options.interface.js';
import { RDKAFKA_MODULE_OPTIONS } from './rdkafka.constants.js';
import { createRdKafkaProviders, exportedRdKafkaTokens } from './rdkafka.providers.js';

/**
 * `forRoot`/`forRootAsync` from Nest's builder; the extras add the (optionally named) providers.
 * `useClass`/`useExisting` factories implement `createRdKafkaOptions()`.
 * @internal
 */
export const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<RdKafkaModuleOptions>({ moduleName: 'RdKafka', optionsInjectionToken: RDKAFKA_MODULE_OPTIONS })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createRdKafkaOptions')
    .setExtras<RdKafkaModuleExtras>({ isGlobal: false, name: undefined }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
      providers: [...(definition.providers ?? []), ...createRdKafkaProviders(extras.name)],
      exports: [...(definition.exports ?? []), ...exportedRdKafkaTokens(extras.name)],
    }))
    .build();
