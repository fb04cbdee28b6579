import { Controller, Get } from '@nestjs/common';
import { builtinFeatures, libversion } from 'nest-rdkafka';

/** What the sample shows a newcomer first: which librdkafka it runs on and which broker it talks to. */
@Controller()
export class AppController {
  @Get()
  info() {
    const [version] = libversion();
    return {
      librdkafka: version,
      features: builtinFeatures(),
      bootstrapServers: process.env.KAFKA_BOOTSTRAP_SERVERS,
    };
  }
}
