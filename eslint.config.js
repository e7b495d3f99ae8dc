// Lint: type-aware rules that catch what the compiler does not (non-exhaustive switches, floating
// promises, import cycles, oversized files). Run by `pnpm lint`, which `pnpm test` runs.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Files allowed past the 400-line budget, each with the reason it stays whole. */
const LINE_BUDGET_EXCEPTIONS = [];

/**
 * The one import cycle allowed: the autograd triangle. Broadcasting binary ops reduce their
 * gradients (`sumTo`), reductions broadcast theirs back (`mul`, `expand`), and views reduce the
 * gradient of an expand (and `mean` divides a sum). Each import is used at call time only, never
 * while the modules load, so ES module evaluation order cannot bite.
 */
const ALLOWED_CYCLE = ['packages/core/src/ops/binary.ts', 'packages/core/src/ops/reduce.ts', 'packages/core/src/ops/views.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      'docs/api/**',
      'packages/core/assembly/**', // AssemblyScript: checked by its own compiler
      'apps/bench/pack/**',
      'apps/bench/results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: { allowDefaultProject: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['packages/*/tsconfig.json', 'apps/*/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-unreachable': 'error',
      'no-debugger': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
    },
  },
  ...LINE_BUDGET_EXCEPTIONS.map(({ file }) => ({ files: [file], rules: { 'max-lines': 'off' } })),
  { files: ALLOWED_CYCLE, rules: { 'import-x/no-cycle': 'off' } },
);
