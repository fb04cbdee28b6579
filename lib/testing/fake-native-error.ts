import type { NativeError } from '../client/native/index.js';
import { ERROR_DESCRIPTIONS } from '../errors/error-codes.js';

/** Flags and text of a fake librdkafka error. @publicApi */
export interface FakeErrorOptions {
  /** The error text; librdkafka's description of the code by default. */
  readonly message?: string;
  readonly fatal?: boolean;
  readonly retriable?: boolean;
  readonly txnRequiresAbort?: boolean;
}

/**
 * node-rdkafka's `LibrdKafkaError`: an Error with librdkafka's code and flags. node-rdkafka both throws these and
 * passes them to callbacks, so the fakes do the same.
 * @publicApi
 */
export class FakeLibrdKafkaError extends Error implements NativeError {
  readonly code: number;
  readonly errno: number;
  readonly origin: string;
  readonly isFatal: boolean;
  readonly isRetriable: boolean;
  readonly isTxnRequiresAbort: boolean;

  constructor(code: number, options: FakeErrorOptions = {}) {
    super(options.message ?? ERROR_DESCRIPTIONS[code] ?? `Unknown error ${code}`);
    this.name = 'LibrdKafkaError';
    this.code = code;
    this.errno = code;
    this.origin = code < 0 ? 'local' : 'kafka';
    this.isFatal = options.fatal ?? false;
    this.isRetriable = options.retriable ?? false;
    this.isTxnRequiresAbort = options.txnRequiresAbort ?? false;
  }
}

/**
 * A `LibrdKafkaError` as node-rdkafka hands it to callbacks and events, for a librdkafka error code.
 * @param code an `ErrorCode`
 * @example fakeNativeError(ErrorCode.MSG_SIZE_TOO_LARGE)
 * @publicApi
 */
export function fakeNativeError(code: number, options: FakeErrorOptions = {}): FakeLibrdKafkaError {
  return new FakeLibrdKafkaError(code, options);
}

/**
 * What node-rdkafka passes as a callback's error on success: null. Its typings declare that parameter
 * non-null, so the fakes pass this constant: the one place where the two are bridged.
 * @internal
 */
export const NO_ERROR = null as unknown as FakeLibrdKafkaError;
