import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['bin/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  {
    // The pure core must stay free of I/O and platform adapters.
    files: ['src/core/**/*.ts', 'src/topics/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['discord.js', 'keyv', '@keyv/*', 'node:http', 'node:https', 'node:fs', 'node:net', 'rss-parser', 'node-cron'] }],
    },
  },
);
