import js from '@eslint/js';
import regexpPlugin from 'eslint-plugin-regexp';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * A package reaches another by its @lateral/* name, not by a path into it. Flat config replaces a
 * rule's options per block instead of merging them, so each block that sets
 * no-restricted-imports repeats this pattern (this one constant).
 */
const PACKAGES_BY_NAME = {
  group: ['../../*/**', '**/libs/*/src/**'],
  message: 'Import other packages by their @lateral/* name.',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      '.data/**',
      '.cache/**',
      '**/public/vendor/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  regexpPlugin.configs.recommended,
  {
    // STYLE.md rule 12, issue #10: no regex that can backtrack super-linearly. `no-super-linear-move`
    // is off in the recommended set because it also reports regexes only ever run on short input;
    // such a line gets a disable comment that says what bounds its input.
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [PACKAGES_BY_NAME],
        },
      ],
    },
  },
  {
    // @kubernetes/client-node is ~800 modules, 0.7 s of a process's start-up: only
    // @lateral/kube-status's client entry loads it, and the gateway imports that entry lazily
    // (import()) when the operations view is on. Types are free.
    files: ['libs/kube-status/src/**/*.ts', 'apps/**/src/**/*.ts'],
    ignores: [
      'libs/kube-status/src/client.ts',
      'libs/kube-status/src/kube-access.ts',
      'libs/kube-status/src/kube-status.watcher.ts',
      'libs/kube-status/src/cli/**',
      '**/*.spec.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@kubernetes/client-node',
              allowTypeImports: true,
              message:
                'Only the client entry (libs/kube-status/src/client.ts) loads the Kubernetes client.',
            },
            {
              name: '@lateral/kube-status/client',
              allowTypeImports: true,
              message: 'Load it with import() where it is needed: it brings the Kubernetes client.',
            },
          ],
          patterns: [PACKAGES_BY_NAME],
        },
      ],
    },
  },
  {
    // The repository's own tooling (scripts, the whole-stack tests, monitoring) is one project, not
    // packages: a cluster proof may drive the stack tests' client and read the monitoring sources.
    // Packages are still reached by their @lateral/* name only.
    files: ['scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/**', '**/apps/**'],
              message: 'Import other packages by their @lateral/* name.',
            },
          ],
        },
      ],
    },
  },
  {
    // Nest reads constructor parameter types at runtime (emitDecoratorMetadata), so a type-only
    // import of an injected class would silently break DI.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Issue #13: an app's exception type only takes that app's codes, so a mistyped code is a
    // compile error; a bare DomainException would let any string through to a runtime 500.
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='DomainException']",
          message:
            "Throw the app's exception type (NotesException, MediaException, GatewayException) or one of its factories, not DomainException.",
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
