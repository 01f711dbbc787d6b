const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyterlab/',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  collectCoverageFrom: ['src/**/*.{ts,tsx}', '!src/**/*.d.ts', '!src/**/.ipynb_checkpoints/*'],
  coverageReporters: ['lcov', 'text'],
  testRegex: 'src/.*/.*.spec.ts[x]?$',
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`],
  // Virtualenvs hold JupyterLab's own package.json files, which would collide by name.
  modulePathIgnorePatterns: [
    '<rootDir>/jupyter_mlops/labextension',
    '<rootDir>/ui-tests',
    '<rootDir>/.venv',
    '<rootDir>/.venv-airflow',
    '<rootDir>/.venv-bench'
  ],
  // The base config also writes junit.xml and GitHub annotations; print results only.
  reporters: ['default'],
  transform: {
    ...baseConfig.transform,
    '^.+\\.tsx?$': ['ts-jest/legacy', { tsconfig: 'tsconfig.test.json' }]
  }
};
