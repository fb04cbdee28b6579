import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { printsRedacted } from '../security/index.js';
import type { RdKafkaModuleExtras, RdKafkaModuleOptions } from './interfaces/rdkafka-module-options.interface.js';
import { RDKAFKA_MODULE_OPTIONS } from './rdkafka.constants.js';
import { createRdKafkaProviders, exportedRdKafkaTokens } from './rdkafka.providers.js';

/**
 * `forRoot`/`forRootAsync` from Nest's builder; the extras add the (optionally named) providers.
 * `useClass`/`useExisting` factories implement `createRdKafkaOptions()`.
 * Kept in the published typings (not exported by the package): `RdKafkaModule` extends the class and its methods take the option types.
 */
export const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } = new ConfigurableModuleBuilder<RdKafkaModuleOptions>({
  moduleName: 'RdKafka',
  optionsInjectionToken: RDKAFKA_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createRdKafkaOptions')
  .setExtras<RdKafkaModuleExtras>({ isGlobal: false, name: undefined }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []).map(redactedOptions), ...createRdKafkaProviders(extras.name)],
    exports: [...(definition.exports ?? []), ...exportedRdKafkaTokens(extras.name)],
  }))
  .build();

/**
 * The options provider (a value for forRoot, a factory for forRootAsync) hands out a copy that prints with its
 * secrets masked: Nest and applications may log or serialise what a provider holds.
 */
function redactedOptions(provider: Provider): Provider {
  if (typeof provider !== 'object' || !('provide' in provider) || provider.provide !== RDKAFKA_MODULE_OPTIONS) return provider;
  if ('useValue' in provider) return { ...provider, useValue: printsRedacted(provider.useValue as RdKafkaModuleOptions) };
  if ('useFactory' in provider) {
    const factory = provider.useFactory;
    return { ...provider, useFactory: async (...args: unknown[]) => printsRedacted((await factory(...args)) as RdKafkaModuleOptions) };
  }
  return provider;
}
