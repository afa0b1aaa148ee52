// Lint enforces the architecture's dependency rules (ARCHITECTURE.md) so they hold without anyone remembering them.
import tseslint from 'typescript-eslint';

const restrict = (patterns, extra = {}) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns, ...extra }],
});
const electronOnlyHere = {
  regex: '^electron(/.*)?$',
  allowTypeImports: true,
  message: 'Only main/electron/** and preload/index.ts may import electron (type-only imports are fine).',
};

/** what main may not import (main/electron/** has its own list) */
const mainFences = [
  electronOnlyHere,
  { group: ['**/renderer/**'], message: 'main never imports the renderer.' },
  { group: ['**/sandbox/**'], message: 'main never imports sandbox/: demo mode reaches it through configuration.' },
];
/** one folder per aggregator under main/providers; each is a plug-in: it may use what is shared in main/providers, never another's folder */
const PROVIDERS = ['powens', 'finapi', 'everifin', 'banqware', 'enablebanking'];
const providerFence = (name) => ({
  files: [`main/providers/${name}/**`],
  rules: restrict([
    ...mainFences,
    {
      regex: `^\\.{1,2}/(.*/)?(${PROVIDERS.filter((p) => p !== name).join('|')})(/|$)`,
      message: 'A provider folder never imports another provider\'s folder: share through main/providers/*.ts.',
    },
  ]),
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { 'no-debugger': 'error', ...restrict([electronOnlyHere]) },
  },
  { files: ['main/electron/**', 'preload/index.ts', 'test/**'], rules: restrict([]) },
  {
    files: ['main/**'],
    ignores: ['main/electron/**'],
    rules: restrict(mainFences),
  },
  ...PROVIDERS.map(providerFence),
  {
    files: ['main/electron/**'],
    rules: restrict([
      { group: ['**/renderer/**'], message: 'main never imports the renderer.' },
      { group: ['**/sandbox/**'], message: 'main never imports sandbox/.' },
      { group: ['**/devbridge/**'], message: 'The packaged app never starts the dev bridge.' },
    ]),
  },
  {
    files: ['renderer/**'],
    rules: restrict([
      electronOnlyHere,
      { group: ['**/main/**'], message: 'The renderer talks to main only through the IPC contract.' },
      { group: ['**/sandbox/**'], message: 'The renderer never imports sandbox/.' },
      { group: ['node:*'], message: 'The renderer has no Node.' },
    ]),
  },
  {
    files: ['preload/contract/**'],
    rules: restrict([
      { regex: '^(?!zod$|\\./[^/]+$)', message: 'preload/contract imports only zod and itself.' },
    ]),
  },
  {
    files: ['locales/**'],
    rules: restrict([
      { regex: '^(?!intl-messageformat$|\\./|\\.\\./index\\.js$)', message: 'locales/ imports only intl-messageformat and itself.' },
    ]),
  },
  {
    files: ['sandbox/**'],
    rules: restrict([
      electronOnlyHere,
      { group: ['**/main/**'], message: 'sandbox/ never imports main/.' },
    ]),
  },
);
