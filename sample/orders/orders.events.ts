import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '../topics.js';
import { OrdersStore } from './orders.store.js';

/** The orders service's Kafka handlers. */
@Controller()
export class OrdersEvents {
  private readonly logger = new Logger(OrdersEvents.name);

  constructor(private readonly store: OrdersStore) {}

  @EventPattern<string>(TOPICS.paymentCaptured)
  captured(@Payload() event: { orderId: string }): void {
    this.store.markPaid(event.orderId);
    this.logger.log(`order ${event.orderId} paid`);
  }
}
