// Jest runs in ESM mode (node --experimental-vm-modules): NestJS 12 ships as ES modules only and cannot be
// loaded by jest's CommonJS runtime. ts-jest compiles with tsconfig.json, so decorator metadata is emitted.
const esmTs = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Sources import './x.js' (NodeNext); jest resolves the .ts file behind it.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // lib/internal/node-require.cts is CommonJS in both builds and imported as '.cjs'. Only that file: packages'
    // own relative '.cjs' requires (@opentelemetry/semantic-conventions) must resolve as they are.
    '^(\\.{1,2}/(?:.*/)?internal/node-require)\\.cjs$': '$1.cts',
    // The sample imports the package by name, as a user would; in tests that is the source.
    '^nest-rdkafka$': '<rootDir>/lib/index.ts',
    '^nest-rdkafka/(admin|client|health|serdes|testing)$': '<rootDir>/lib/$1/index.ts',
  },
  transform: {
    '^.+\\.c?ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'mjs', 'json', 'node'],
  testEnvironment: 'node',
};

export default {
  // Per-project testTimeout is ignored by jest; integration tests wait on a real broker, so the bound is global.
  testTimeout: 120_000,
  projects: [
    { ...esmTs, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...esmTs,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      slowTestThreshold: 30,
    },
  ],
};
