import { inspect } from 'node:util';
import {
  isSecretKey,
  printsRedacted,
  redactConfig,
  redactLine,
  redactUrl,
  redactWhenPrinted,
  scrubSecrets,
} from '../../../lib/security/index.js';

const SECRET = 'Xy9-very-secret-value';

describe('the redaction rule', () => {
  it('masks every secret-bearing key, at any depth, and names callbacks and class instances', () => {
    class Logger {}
    const printed = redactConfig({
      'bootstrap.servers': 'h:1',
      'sasl.password': SECRET,
      'sasl.oauthbearer.client.secret': SECRET,
      'sasl.oauthbearer.assertion.private.key.passphrase': SECRET,
      'sasl.oauthbearer.config': `principal=a secret=${SECRET}`,
      'ssl.key.password': SECRET,
      'ssl.key.pem': SECRET,
      'ssl.keystore.password': SECRET,
      'ssl.keystore.location': SECRET,
      'basic.auth.user.info': `u:${SECRET}`,
      'bearer.auth.token': SECRET,
      nested: { client: { 'sasl.password': SECRET }, headers: { Authorization: `Basic ${SECRET}` } },
      'sasl.oauthbearer.token.endpoint.url': `https://u:${SECRET}@idp/token`,
      'enable.ssl.certificate.verification': false,
      error_cb: function onError() {},
      logger: new Logger(),
    });
    expect(JSON.stringify(printed)).not.toContain(SECRET);
    expect(printed).toMatchObject({
      'bootstrap.servers': 'h:1',
      'sasl.password': '[redacted]',
      'ssl.keystore.location': '[redacted]',
      'sasl.oauthbearer.token.endpoint.url': 'https://[redacted]@idp/token',
      'enable.ssl.certificate.verification': false,
      error_cb: '[function onError]',
      logger: '[Logger]',
    });
    expect(isSecretKey('sasl.username')).toBe(false);
  });

  it('masks password/token pairs, user info and auth schemes inside a log line', () => {
    expect(redactLine(`conf: sasl.password=${SECRET}, sasl.username=alice token: abc.def`)).toBe(
      'conf: sasl.password=[redacted], sasl.username=alice token: [redacted]',
    );
    expect(redactLine(`GET http://u:${SECRET}@h/x with Authorization: Bearer ${SECRET}`)).not.toContain(SECRET);
    expect(redactUrl(`http://u:${SECRET}@[bad`)).toBe('http://[redacted]@[bad');
  });

  it("removes a config's secret values from any text, however they are quoted", () => {
    expect(scrubSecrets(`Invalid value "${SECRET}" for "sasl.mechanisms"`, { 'sasl.password': SECRET })).toBe(
      'Invalid value "[redacted]" for "sasl.mechanisms"',
    );
  });

  it('a class prints through the rule in inspect, JSON and String, a subclass under its own name', () => {
    class Holder {
      readonly options = { client: { 'sasl.password': SECRET } };
      static {
        redactWhenPrinted(this);
      }
    }
    class Sub extends Holder {}
    const sub = new Sub();
    for (const text of [inspect(sub, { depth: Infinity, showHidden: true }), JSON.stringify(sub), String(sub)]) {
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(SECRET);
    }
    expect(String(sub)).toMatch(/^Sub /);
    expect(Object.keys(sub)).toEqual(['options']);
  });

  it('a plain options object prints redacted and keeps its values for the code that reads them', () => {
    const options = printsRedacted({ client: { 'sasl.password': SECRET } });
    expect(options.client['sasl.password']).toBe(SECRET);
    expect(inspect(options, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
    expect(JSON.stringify(options)).not.toContain(SECRET);
    expect(Object.keys(options)).toEqual(['client']);
  });
});
