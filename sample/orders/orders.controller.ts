import { randomUUID } from 'node:crypto';
import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ClientRdKafka, RdKafkaProducerService } from 'nest-rdkafka';
import { lastValueFrom } from 'rxjs';
import { TOPICS } from '../topics.js';
import type { Authorization, Order, PlaceOrder } from './order.js';
import { OrdersStore } from './orders.store.js';

/** The HTTP side: places orders (a request to payments, then an event) and shows them. */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly payments: ClientRdKafka,
    private readonly events: RdKafkaProducerService,
    private readonly store: OrdersStore,
  ) {}

  /**
   * Asks the payment service to authorize the amount (request-reply over Kafka); when approved, stores the order
   * and emits `orders.created` (awaiting its delivery report).
   */
  @Post()
  @HttpCode(201)
  async place(@Body() body: PlaceOrder) {
    if (typeof body?.item !== 'string' || typeof body.amount !== 'number' || !(body.amount > 0)) {
      throw new BadRequestException('expected { "item": string, "amount": number > 0 }');
    }
    const id = randomUUID();
    const payment = await lastValueFrom(this.payments.send<Authorization>(TOPICS.paymentsAuthorize, { orderId: id, amount: body.amount }));
    if (!payment.approved) return { order: null, payment };
    const order = this.store.save({ id, item: body.item, amount: body.amount, status: 'authorized' });
    const delivery = await this.events.emit(TOPICS.orderCreated, { key: id, value: order });
    return { order, payment, event: { topic: delivery.topic, partition: delivery.partition, offset: delivery.offset } };
  }

  /** The order; its status becomes `paid` once the payment service's `payments.captured` event arrived. */
  @Get(':id')
  get(@Param('id') id: string): Order {
    const order = this.store.get(id);
    if (!order) throw new NotFoundException(`no order ${id}`);
    return order;
  }
}
