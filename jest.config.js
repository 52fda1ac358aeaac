/** Three tiers: unit (pure, beside the code), integration (apps/<app>/test, real PostgreSQL + NATS),
 * e2e (test/, the whole system started as separate processes). */
const moduleNameMapper = {
  '^@billing/(contracts|common|recurrence)$': '<rootDir>/libs/$1/src',
  '^@billing/(contracts|common|recurrence)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }] };
const base = { testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'], moduleNameMapper, transform };

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
