export { BrokerErrorWatch } from './broker-error.watch.js';
export { connectError, connectWithin, serversOf, settleBy, type ConnectBound } from './connect-within.js';
export { explainDeliveryFailure } from './delivery-error.js';
