import { requireOtelApi } from '../../../../lib/observability/tracing/otel-api.js';

function failing(code: string): (id: string) => never {
  return (id) => {
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code });
  };
}

describe('loading @opentelemetry/api', () => {
  it('is null when the package is not installed, so tracing stays off', () => {
    expect(requireOtelApi(failing('MODULE_NOT_FOUND'))).toBeNull();
    expect(requireOtelApi(failing('ERR_MODULE_NOT_FOUND'))).toBeNull();
  });

  it('passes on any other failure to load it', () => {
    expect(() => requireOtelApi(failing('ERR_REQUIRE_ESM'))).toThrow("Cannot find module '@opentelemetry/api'");
  });

  it('is the module when installed', () => {
    const api = { trace: {} };
    expect(requireOtelApi((id) => (id === '@opentelemetry/api' ? api : undefined))).toBe(api);
  });
});
