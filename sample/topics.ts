/**
 * The sample's topics and consumer group. SAMPLE_TOPIC_PREFIX keeps test runs apart (the e2e test sets it before
 * importing the sample); `npm start` uses the plain names.
 */
const PREFIX = process.env.SAMPLE_TOPIC_PREFIX ?? '';

export const TOPICS = Object.freeze({
  /** Event: an order was placed and its payment authorized (key: order id). */
  orderCreated: `${PREFIX}orders.created`,
  /** Request-reply: may this amount be charged? */
  paymentsAuthorize: `${PREFIX}payments.authorize`,
  /** Event: the payment of an order was captured. */
  paymentCaptured: `${PREFIX}payments.captured`,
  /** Event, Avro-encoded through the Schema Registry: a receipt for a captured payment. */
  receipts: `${PREFIX}payments.receipts`,
});

export const GROUP_ID = `${PREFIX}sample-shop`;
