// Resolves the @billing/* library aliases to the compiled output in dist/ at run time.
// Preload with `node -r ./scripts/paths.js dist/apps/<app>/src/main.js`.
const path = require('path');
const tsConfigPaths = require('tsconfig-paths');

const dist = path.join(__dirname, '..', 'dist');
tsConfigPaths.register({
  baseUrl: dist,
  paths: {
    '@billing/contracts': ['libs/contracts/src'],
    '@billing/contracts/*': ['libs/contracts/src/*'],
    '@billing/common': ['libs/common/src'],
    '@billing/common/*': ['libs/common/src/*'],
    '@billing/recurrence': ['libs/recurrence/src'],
    '@billing/recurrence/*': ['libs/recurrence/src/*'],
  },
});
