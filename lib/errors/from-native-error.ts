import { ERROR_DESCRIPTIONS, ErrorCode } from './error-codes.js';
import { KafkaError } from './kafka.error.js';
import { KafkaException } from './kafka.exception.js';

/** The shape of node-rdkafka's LibrdKafkaError (and of the plain objects its native layer passes). */
interface NativeErrorLike {
  message?: string;
  code?: number;
  origin?: string;
  isFatal?: boolean;
  isRetriable?: boolean;
  isTxnRequiresAbort?: boolean;
}

/**
 * node-rdkafka rebuilds some errors from their text alone (global `event.error`, failed delivery reports): the
 * code becomes -1 and the text `"Local: Broker transport failure"` becomes origin `local`, message
 * `broker transport failure`. Keys below are that same transformation of every librdkafka description, so the
 * code can be recovered.
 */
function textKey(text: string): string {
  const parts = text.split(': ');
  return parts.length > 1 ? `${parts[0]!.toLowerCase()}: ${parts[1]!.toLowerCase()}` : text.toLowerCase();
}

let byText: Map<string, number> | undefined;

function codeFromText(origin: string | undefined, message: string): number | undefined {
  byText ??= new Map(Object.entries(ERROR_DESCRIPTIONS).map(([code, text]) => [textKey(text), Number(code)]));
  if (message === 'fatal error') return ErrorCode._FATAL;
  return byText.get(textKey(message)) ?? (origin ? byText.get(`${origin.toLowerCase()}: ${message.toLowerCase()}`) : undefined);
}

/**
 * Turns anything node-rdkafka reports as an error into a `KafkaError`, recovering the librdkafka code where
 * node-rdkafka dropped it (code -1). `fallbackCode` is used when no code can be found.
 * @internal
 */
export function fromNativeError(e: unknown, fallbackCode: number = ErrorCode._FAIL): KafkaError {
  if (e instanceof KafkaException) return e.error;
  if (e instanceof KafkaError) return e;
  if (typeof e === 'number') return new KafkaError(e);
  const n: NativeErrorLike = typeof e === 'object' && e !== null ? (e as NativeErrorLike) : { message: String(e) };
  const message = n.message ?? '';
  let code = typeof n.code === 'number' ? n.code : ErrorCode.UNKNOWN;
  if (code === ErrorCode.UNKNOWN) code = codeFromText(n.origin, message) ?? fallbackCode;
  const flags = {
    fatal: n.isFatal ?? (code === ErrorCode._FATAL ? true : undefined),
    retriable: n.isRetriable,
    txnRequiresAbort: n.isTxnRequiresAbort,
  };
  return new KafkaError(code, message || undefined, flags);
}

/** `fromNativeError` wrapped in a `KafkaException`, keeping the original as `cause`. @internal */
export function toKafkaException(e: unknown, fallbackCode?: number): KafkaException {
  if (e instanceof KafkaException) return e;
  return new KafkaException(fromNativeError(e, fallbackCode), undefined, undefined, { cause: e });
}
