import type { OAuthBearerToken } from '../../../lib/index.js';

/**
 * The OAUTHBEARER (SASL_PLAINTEXT, unsecured JWS) listener of the embedded broker: KAFKA_OAUTH_BOOTSTRAP_SERVERS,
 * or by the embedded broker's rule, the SASL listener's port + 1 on each host.
 */
export function oauthBootstrapServers(): string {
  const servers = process.env.KAFKA_OAUTH_BOOTSTRAP_SERVERS;
  if (servers) return servers;
  const sasl = process.env.KAFKA_SASL_BOOTSTRAP_SERVERS;
  if (!sasl)
    throw new Error("KAFKA_OAUTH_BOOTSTRAP_SERVERS is not set: run integration tests through `npm test` (the broker's OAUTH listener)");
  return sasl
    .split(',')
    .map((hp) => hp.replace(/:(\d+)$/, (_m, port: string) => `:${Number(port) + 1}`))
    .join(',');
}

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/**
 * An unsecured JWS (`alg: none`) for `sub`, valid for `lifetimeMs`: what Kafka's
 * OAuthBearerUnsecuredValidatorCallbackHandler accepts.
 */
export function unsecuredToken(sub: string, lifetimeMs: number): OAuthBearerToken {
  const now = Date.now();
  const exp = now + lifetimeMs;
  return {
    token: `${b64({ alg: 'none' })}.${b64({ sub, iat: Math.floor(now / 1000), exp: exp / 1000 })}.`,
    lifetimeMs: exp,
    principal: sub,
  };
}

/** librdkafka properties of a client on the OAUTHBEARER listener (the token comes from oauth_cb). */
export function oauthConfig(): { 'bootstrap.servers': string; 'security.protocol': 'sasl_plaintext'; 'sasl.mechanisms': string } {
  return { 'bootstrap.servers': oauthBootstrapServers(), 'security.protocol': 'sasl_plaintext', 'sasl.mechanisms': 'OAUTHBEARER' };
}
