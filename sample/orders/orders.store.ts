import { Injectable } from '@nestjs/common';
import type { Order } from './order.js';

/** In-memory orders: enough for a sample, gone on restart. */
@Injectable()
export class OrdersStore {
  private readonly orders = new Map<string, Order>();

  save(order: Order): Order {
    this.orders.set(order.id, order);
    return order;
  }

  get(id: string): Order | undefined {
    return this.orders.get(id);
  }

  markPaid(id: string): void {
    const order = this.orders.get(id);
    if (order) order.status = 'paid';
  }
}
