/** An order as the sample keeps it. */
export interface Order {
  id: string;
  item: string;
  amount: number;
  status: 'authorized' | 'paid';
}

/** What POST /orders accepts. */
export interface PlaceOrder {
  item: string;
  amount: number;
}

/** The payment service's answer to an authorization request. */
export interface Authorization {
  orderId: string;
  approved: boolean;
  reason?: string;
}
