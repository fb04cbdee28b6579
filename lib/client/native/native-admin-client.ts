import { createSecureContext } from 'node:tls';
import type { GlobalConfig, IAdminClient } from 'node-rdkafka';
import { loadNative } from './load-native.js';

/**
 * Creates node-rdkafka's AdminClient, then empties the OpenSSL error queue of the JavaScript thread.
 *
 * Why: node-rdkafka creates an AdminClient's librdkafka handle synchronously on the calling thread (its
 * Producer and KafkaConsumer do it on a worker thread), and Node's TLS uses the same OpenSSL. librdkafka
 * 2.12 reads `ssl.ca.pem` with PEM_read_bio_X509 until that fails and leaves the expected failure ("no start
 * line") on the thread's error queue. The next read on ANY established TLS socket of the process (the kafkajs
 * and kafka-ts admin connections, HTTPS to a schema registry) then fails with that stale error, because
 * OpenSSL's SSL_get_error reports a non-empty queue as a TLS failure. Creating a secure context clears the
 * queue on return (Node's ClearErrorOnReturn); it costs well under a millisecond.
 * @throws whatever node-rdkafka throws for a config librdkafka refuses (the queue is cleared then too)
 * @internal
 */
export function createNativeAdminClient(config: GlobalConfig, oauthBearerToken?: string): IAdminClient {
  try {
    return loadNative().AdminClient.create(config, oauthBearerToken);
  } finally {
    createSecureContext();
  }
}
