import { ErrorCode, KafkaError, KafkaException, QueueFullError, fromNativeError } from '../../../lib/errors/index.js';

describe('KafkaError', () => {
  it('names every librdkafka code as confluent_kafka does and formats like its str()', () => {
    const e = new KafkaError(ErrorCode._MSG_TIMED_OUT);
    expect(e.name).toBe('_MSG_TIMED_OUT');
    expect(e.code).toBe(-192);
    expect(e.reason).toBe('Local: Message timed out');
    expect(e.toString()).toBe('KafkaError{code=_MSG_TIMED_OUT,val=-192,str="Local: Message timed out"}');
    expect(e.origin).toBe('local');
    expect(new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS).origin).toBe('broker');
    expect(ErrorCode._PARTITION_EOF).toBe(-191);
    expect(ErrorCode.UNKNOWN_TOPIC_OR_PART).toBe(3);
  });

  it('accepts codes newer than its table', () => {
    const e = new KafkaError(4242, 'from the future');
    expect(e.name).toBe('ERR_4242');
    expect(e.str()).toBe('from the future');
  });

  it('compares by code and marks fatal and retriable errors', () => {
    const e = new KafkaError(ErrorCode._PARTITION_EOF);
    expect(e.equals(ErrorCode._PARTITION_EOF)).toBe(true);
    expect(e.equals(new KafkaError(-191))).toBe(true);
    expect(+e).toBe(-191);
    expect(new KafkaError(ErrorCode._FATAL).fatal).toBe(true);
    expect(new KafkaError(ErrorCode._FATAL).toString()).toMatch(/^KafkaError\{FATAL,/);
    expect(new KafkaError(ErrorCode.NOT_LEADER_FOR_PARTITION).retriable).toBe(true);
    expect(new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED).retriable).toBe(false);
    expect(new KafkaError(ErrorCode._STATE, undefined, { txnRequiresAbort: true }).txnRequiresAbort).toBe(true);
  });
});

describe('KafkaException', () => {
  it('carries its KafkaError and is an Error with a name', () => {
    const ex = new KafkaException(ErrorCode._STATE, 'closed');
    expect(ex).toBeInstanceOf(Error);
    expect(ex.name).toBe('KafkaException');
    expect(ex.error).toBeInstanceOf(KafkaError);
    expect(ex.code).toBe(ErrorCode._STATE);
    expect(ex.message).toBe('KafkaError{code=_STATE,val=-172,str="closed"}');
    const full = new QueueFullError();
    expect(full).toBeInstanceOf(KafkaException);
    expect(full.name).toBe('QueueFullError');
    expect(full.code).toBe(ErrorCode._QUEUE_FULL);
  });
});

describe('fromNativeError', () => {
  it('keeps codes node-rdkafka passes, with their flags', () => {
    const e = fromNativeError({ message: 'Broker: Topic already exists', code: 36, isRetriable: false, isTxnRequiresAbort: true });
    expect(e.code).toBe(36);
    expect(e.txnRequiresAbort).toBe(true);
  });

  it('recovers the code node-rdkafka drops from its text-only errors', () => {
    // node-rdkafka rebuilds "Local: Broker transport failure" as origin "local", message "broker transport failure", code -1.
    expect(fromNativeError({ message: 'broker transport failure', origin: 'local', code: -1 }).code).toBe(ErrorCode._TRANSPORT);
    expect(fromNativeError({ message: 'message timed out', origin: 'local', code: -1 }).code).toBe(ErrorCode._MSG_TIMED_OUT);
    expect(fromNativeError({ message: 'unknown topic or partition', origin: 'broker', code: -1 }).code).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PART,
    );
    expect(fromNativeError(new Error('Local: Unknown partition')).code).toBe(ErrorCode._UNKNOWN_PARTITION);
    const fatal = fromNativeError({ message: 'fatal error', origin: 'local', code: -1 });
    expect(fatal.code).toBe(ErrorCode._FATAL);
    expect(fatal.fatal).toBe(true);
  });

  it('falls back to the given code for text it cannot place', () => {
    expect(fromNativeError(new Error('something odd'), ErrorCode._FAIL).code).toBe(ErrorCode._FAIL);
    expect(fromNativeError('plain string').code).toBe(ErrorCode._FAIL);
  });
});
