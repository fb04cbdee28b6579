/**
 * Life cycle of a client; every operation checks it so misuse fails with a clear `_STATE` error instead of a
 * native crash or a silent no-op.
 * @publicApi
 */
export const ClientState = Object.freeze({
  CREATED: 'created',
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  CLOSING: 'closing',
  CLOSED: 'closed',
} as const);
/** @publicApi */
export type ClientState = (typeof ClientState)[keyof typeof ClientState];
