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

/**
 * Where the renderer puts text: a JSX child (directly or as a branch of ?: / ?? / ||), a label-like attribute, an error's
 * message. Prose there is a string with letters that is neither a catalogue key ("nav.accounts") nor an address.
 */
const CHILD = 'JSXElement > JSXExpressionContainer';
const CHOICE = ':matches(ConditionalExpression, LogicalExpression)';
const PROSE = 'Literal[value=/[A-Za-z]/]:not([value=/^[a-z][\\w-]*(\\.[\\w-]+)+$/], [value=/^https?:/])';
const PROSE_PART = 'TemplateElement[value.raw=/[A-Za-z]{2}/]';

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
    // every word the renderer shows comes from the catalogue (locales/ui): no English text in JSX, its labels or its errors
    files: ['renderer/src/**/*.tsx', 'renderer/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...[
        'JSXText[value=/[a-z]/]',
        `${CHILD} > ${PROSE}`,
        `${CHILD} > TemplateLiteral > ${PROSE_PART}`,
        `${CHILD} > ${CHOICE} > ${PROSE}`,
        `${CHILD} > ${CHOICE} > ${CHOICE} > ${PROSE}`,
        `${CHILD} > ${CHOICE} > TemplateLiteral > ${PROSE_PART}`,
        `JSXAttribute[name.name=/^(aria-label|title|placeholder|alt|label)$/] > ${PROSE}`,
        `JSXAttribute[name.name=/^(aria-label|title|placeholder|alt|label)$/] > JSXExpressionContainer > ${PROSE}`,
        `JSXAttribute[name.name=/^(aria-label|title|placeholder|alt|label)$/] > JSXExpressionContainer > TemplateLiteral > ${PROSE_PART}`,
        `JSXAttribute[name.name=/^(aria-label|title|placeholder|alt|label)$/] > JSXExpressionContainer > ${CHOICE} > ${PROSE}`,
        `Property[key.name=/^(message|action)$/] > ${PROSE}`,
        `Property[key.name=/^(message|action)$/] > TemplateLiteral > ${PROSE_PART}`,
        `CallExpression[callee.name=/^(alert|confirm)$/] > ${PROSE}`,
        `CallExpression[callee.name=/^(alert|confirm)$/] > TemplateLiteral > ${PROSE_PART}`,
      ].map((selector) => ({ selector, message: 'Words the user reads come from the catalogue: add a key to locales/ui/en.ts and use t() or <FormattedMessage>.' }))],
    },
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
