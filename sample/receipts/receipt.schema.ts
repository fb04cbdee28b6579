/** The Avro schema of a receipt; registered under `<topic>-value` on first use (topic name strategy). */
export const RECEIPT_SCHEMA = {
  type: 'record',
  name: 'Receipt',
  namespace: 'sample.shop',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'capturedAt', type: 'long', doc: 'ms since the epoch' },
  ],
} as const;

export interface Receipt {
  orderId: string;
  amount: number;
  capturedAt: number;
}
