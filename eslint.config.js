// One lint configuration for the whole repository. The restricted-import rules below are the
// package boundaries of docs/architecture.md §2, enforced.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'stream', 'url', 'util', 'events', 'zlib'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a derived union type instead of enum.' },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'No namespaces.' },
      ],
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts', 'packages/core/src/testing/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-globals': ['error', { name: 'process', message: 'core has no host knowledge: take it as a parameter.' }, { name: 'Buffer', message: 'core uses web globals only.' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'core does no I/O of its own: take effects as parameters (architecture §2).' },
            { group: ['@ias/*'], message: 'core imports no other workspace package.' },
          ],
        },
      ],
    },
  },
  {
    // Every core function reads in one screen (issue 14): split a longer one into named steps. Test data is exempt.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts', 'packages/core/src/testing/**', 'packages/core/src/**/__golden__/**'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['packages/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@ias/core', '@ias/core/*'], message: 'The simulator is an independent reading of the API: it must not import core.' }] }],
    },
  },
  {
    files: ['apps/**/*.ts'],
    ignores: ['apps/**/*.test.ts', 'apps/**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@ias/core/*'], message: 'Import @ias/core from its root entry only.' },
            { group: ['zod', 'zod/*'], message: 'Adapters stay thin: validation belongs to core.' },
            { group: ['@ias/simulator', '@ias/simulator/*'], message: 'The simulator is for tests only.' },
            { group: ['@ias/host-node/*'], message: 'Import @ias/host-node from its root entry only.' },
            { group: ['insightappsec-ci', '@ias/azure-devops', '@ias/github-action', '@ias/bamboo'], message: 'Apps do not import other apps.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', 'tooling/**/*.{ts,js,mjs}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
