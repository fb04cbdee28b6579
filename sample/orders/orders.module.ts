import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller.js';
import { OrdersEvents } from './orders.events.js';
import { OrdersStore } from './orders.store.js';

@Module({ controllers: [OrdersController, OrdersEvents], providers: [OrdersStore] })
export class OrdersModule {}
