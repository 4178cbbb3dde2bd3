import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'web/dist/',
      'test/browser/screenshots/',
      'coverage/',
      'node_modules/',
      'data/',
      'bench/results/',
      'clients/typescript/src/schema.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      // Constructor parameter types are runtime values for Nest's DI: keep them as value imports.
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'ioredis', message: 'Only src/redis and redis-*.repository.ts files talk to ioredis.' }] },
      ],
    },
  },
  {
    files: ['src/redis/**/*.ts', 'src/**/redis-*.repository.ts', 'bench/**', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The client runs in browsers: their globals only, and no Node built-in.
    files: ['clients/typescript/src/**/*.ts', 'web/src/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'The client must run in a browser.' }] },
      ],
    },
  },
);
