module.exports = {
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/eslint-recommended',
    'plugin:@typescript-eslint/recommended',
    'plugin:prettier/recommended'
  ],
  parser: '@typescript-eslint/parser',
  parserOptions: { project: ['tsconfig.test.json', 'ui-tests/tsconfig.json'], sourceType: 'module' },
  plugins: ['@typescript-eslint'],
  ignorePatterns: [
    'node_modules',
    'lib',
    'jupyter_mlops/labextension',
    'ui-tests/node_modules',
    'ui-tests/test-results',
    'ui-tests/playwright.config.js',
    '*.config.js',
    '.eslintrc.js',
    'src/api/schema.ts',
    'style/index.js'
  ],
  rules: {
    '@typescript-eslint/naming-convention': [
      'error',
      { selector: 'interface', format: ['PascalCase'], custom: { regex: '^I[A-Z]', match: true } }
    ],
    '@typescript-eslint/no-unused-vars': ['warn', { args: 'none' }],
    '@typescript-eslint/no-explicit-any': 'off',
    '@typescript-eslint/no-namespace': 'off',
    '@typescript-eslint/no-use-before-define': 'off',
    curly: ['error', 'all'],
    eqeqeq: 'error',
    'prefer-arrow-callback': 'error'
  }
};
