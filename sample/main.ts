import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, '127.0.0.1');
  Logger.log(`sample listening on http://127.0.0.1:${port} (Kafka at ${process.env.KAFKA_BOOTSTRAP_SERVERS})`, 'Sample');
}

void bootstrap();
