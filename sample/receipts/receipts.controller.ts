import { Controller, Get, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '../topics.js';
import { ReceiptsService } from './receipts.service.js';

/** The Avro topic of the sample: receipts consumed from `payments.receipts`, listed over HTTP. */
@Controller('receipts')
export class ReceiptsController {
  private readonly logger = new Logger(ReceiptsController.name);

  constructor(private readonly receipts: ReceiptsService) {}

  @EventPattern<string>(TOPICS.receipts)
  async onReceipt(@Payload() bytes: Buffer): Promise<void> {
    const r = await this.receipts.accept(bytes);
    this.logger.log(`receipt for order ${r.orderId}: ${r.amount} (Avro, schema id ${bytes.readUInt32BE(1)})`);
  }

  @Get()
  list() {
    return this.receipts.list();
  }
}
