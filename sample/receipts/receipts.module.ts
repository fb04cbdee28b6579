import { Module } from '@nestjs/common';
import { ReceiptsController } from './receipts.controller.js';
import { ReceiptsService } from './receipts.service.js';

/** Avro receipts through the Schema Registry; loaded only when SCHEMA_REGISTRY_URL is set. */
@Module({ controllers: [ReceiptsController], providers: [ReceiptsService], exports: [ReceiptsService] })
export class ReceiptsModule {}
