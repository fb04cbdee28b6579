import { MissingDependencyError } from '../../../../lib/errors/index.js';
import { requireAvsc } from '../../../../lib/serdes/avro/load-avsc.js';

/** A require that fails as Node's does for a package that is not installed. */
function missing(name: string) {
  return (): never => {
    throw Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/lib/serdes/avro/load-avsc.js`), {
      code: 'MODULE_NOT_FOUND',
    });
  };
}

describe('requireAvsc', () => {
  it('names avsc and the Avro feature when avsc is not installed', () => {
    const call = () => requireAvsc(missing('avsc'));
    expect(call).toThrow(MissingDependencyError);
    expect(call).toThrow(
      expect.objectContaining({
        name: 'MissingDependencyError',
        packageName: 'avsc',
        feature: expect.stringContaining('AvroSerializer'),
        message: expect.stringContaining('npm install avsc'),
      }),
    );
  });

  it('passes on a module avsc itself cannot find: a broken install is not an absent peer', () => {
    expect(() => requireAvsc(missing('./lib/utils'))).toThrow(/Cannot find module '\.\/lib\/utils'/);
    expect(() => requireAvsc(missing('./lib/utils'))).not.toThrow(MissingDependencyError);
  });

  it('returns avsc when it is installed', () => {
    const fake = { Type: {} };
    expect(requireAvsc((id) => (id === 'avsc' ? fake : undefined))).toBe(fake);
  });
});
