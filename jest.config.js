/** Three tiers: unit (pure, beside the code), integration (apps/<app>/test, real PostgreSQL + NATS),
 * e2e (test/, the whole system started as separate processes).
 *
 * NestJS 12 ships ES modules only. Node runs them natively (require(esm)), but Jest's module system on
 * Node 20 cannot, so Jest compiles those packages to CommonJS with Babel (cached after the first run). */
const moduleNameMapper = {
  '^@billing/(contracts|common|recurrence)$': '<rootDir>/libs/$1/src',
  '^@billing/(contracts|common|recurrence)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  'load-esm',
];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  'node_modules/.+\\.m?js$': [
    'babel-jest',
    {
      babelrc: false,
      configFile: false,
      plugins: [require.resolve('./scripts/jest-import-meta.js'), '@babel/plugin-transform-modules-commonjs'],
    },
  ],
};
const base = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper,
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/src/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
