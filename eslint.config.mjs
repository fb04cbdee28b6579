// eslint 9 flat config: typescript-eslint's recommended rules, then eslint-config-prettier last so no style rule
// fights `npm run format`. The type-aware presets are not on: on this code base they take ~34 s instead of ~7 s
// and report ~550 more findings (mostly test code), a separate piece of work.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// Scripts and tests run in this Node: its own globals are exactly the ones they may use (no package to pin).
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default tseslint.config(
  {
    ignores: ['dist/', 'dist-sample/', 'coverage/', '.cache/', 'bench/results/', 'node_modules/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    rules: {
      // A leading underscore marks a deliberately unused name: a parameter an interface requires, or a key taken
      // out of an object so that the rest can be passed on (`const { debug: _debug, ...rest } = conf`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // A `let` bound late and read by callbacks created before it (`on_commit: () => loop?.onCommitted(…)`,
      // then `loop = new ServerConsumeLoop(…)`) cannot become a `const`: the callback would hit the TDZ.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // CommonJS on purpose (.cjs and .cts files such as lib/internal/node-require.cts, the Nest 11 CommonJS consumer
    // fixture): `require` is how such a module imports.
    files: ['**/*.cjs', '**/*.cts', 'test/integration/nest-versions/fixtures/nest11-cjs/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // typescript-eslint sets sourceType 'module' on every file; these run as CommonJS.
    files: ['**/*.cjs', 'test/integration/nest-versions/fixtures/nest11-cjs/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['test/integration/nest-versions/fixtures/nest11-cjs/**/*.spec.js'],
    languageOptions: { globals: { test: 'readonly', expect: 'readonly' } },
  },
  prettier,
);
