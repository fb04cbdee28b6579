import { isPatternInScope } from '../../../lib/transport/server/handler-scope.js';

describe('isPatternInScope: which handlers a server limited to `topics` registers', () => {
  it('takes every pattern without a topic list (Nest: a server serves every handler)', () => {
    expect(isPatternInScope('orders', undefined)).toBe(true);
    expect(isPatternInScope(/^orders\./, undefined)).toBe(true);
  });

  it('takes a topic listed by name or matched by a listed RegExp, and nothing else', () => {
    const topics = ['orders', /^audit\./g];
    expect(isPatternInScope('orders', topics)).toBe(true);
    expect(isPatternInScope('audit.login', topics)).toBe(true);
    // A global RegExp keeps lastIndex between calls; the second test must not start mid-string.
    expect(isPatternInScope('audit.logout', topics)).toBe(true);
    expect(isPatternInScope('payments', topics)).toBe(false);
    expect(isPatternInScope('orders.reply', topics)).toBe(false);
  });

  it('takes a RegExp pattern only when the same RegExp is listed (its topics are known at the broker only)', () => {
    expect(isPatternInScope(/^audit\./, [/^audit\./])).toBe(true);
    expect(isPatternInScope(/^audit\./i, [/^audit\./])).toBe(false);
    expect(isPatternInScope(/^audit\./, ['audit.login'])).toBe(false);
  });
});
