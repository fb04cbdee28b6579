import { redactConfig, redactLine } from '../../../../lib/transport/logging/redact.js';

describe('secrets never reach logs', () => {
  it('masks secret config values and names callbacks', () => {
    expect(redactConfig({ 'bootstrap.servers': 'h:1', 'sasl.password': 'pw', 'sasl.oauthbearer.client.secret': 's', 'ssl.key.password': 'k', error_cb: () => 1 }))
      .toEqual({ 'bootstrap.servers': 'h:1', 'sasl.password': '***', 'sasl.oauthbearer.client.secret': '***', 'ssl.key.password': '***', error_cb: '[function]' });
  });

  it('masks password/token pairs inside a log line', () => {
    expect(redactLine('conf: sasl.password=alice-secret, sasl.username=alice token: abc.def'))
      .toBe('conf: sasl.password=***, sasl.username=alice token: ***');
  });
});
