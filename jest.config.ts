import type { Config } from 'jest';

// ESM all the way: several dependencies (hyparquet, espeak-ng-emscripten) are ESM-only.
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/pipelines/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/plain-summary-reporter.cjs'],
};

export default config;
