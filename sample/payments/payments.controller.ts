import { Controller, Logger, Optional } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { RdKafkaContext, RdKafkaProducerService } from 'nest-rdkafka';
import type { Authorization, Order } from '../orders/order.js';
import { ReceiptsService } from '../receipts/receipts.service.js';
import { TOPICS } from '../topics.js';

/** Amounts above this are declined: the sample's whole fraud policy. */
const LIMIT = 1000;

/** The payment service: answers authorization requests, captures payments of created orders. */
@Controller()
export class PaymentsController {
  private readonly logger = new Logger(PaymentsController.name);

  constructor(
    private readonly events: RdKafkaProducerService,
    /** Present when a Schema Registry is configured (SCHEMA_REGISTRY_URL). */
    @Optional() private readonly receipts?: ReceiptsService,
  ) {}

  /** Request-reply: the reply goes back to the caller on `payments.authorize.reply`. */
  @MessagePattern(TOPICS.paymentsAuthorize)
  authorize(@Payload() request: { orderId: string; amount: number }): Authorization {
    const approved = request.amount <= LIMIT;
    return approved ? { orderId: request.orderId, approved } : { orderId: request.orderId, approved, reason: `amount above ${LIMIT}` };
  }

  /** Event: capture the payment, then tell the orders service. */
  @EventPattern<string>(TOPICS.orderCreated)
  async capture(@Payload() order: Order, @Ctx() ctx: RdKafkaContext): Promise<void> {
    this.logger.log(`capturing ${order.amount} for order ${order.id} (${ctx.getTopic()}[${ctx.getPartition()}]@${ctx.getOffset()})`);
    await this.events.emit(TOPICS.paymentCaptured, { key: order.id, value: { orderId: order.id } });
    await this.receipts?.publish({ orderId: order.id, amount: order.amount, capturedAt: Date.now() });
  }
}
