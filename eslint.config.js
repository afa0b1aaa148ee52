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

const sqliteOnlyInStore = {
  regex: '^better-sqlite3(-multiple-ciphers)?$',
  allowTypeImports: true,
  message: 'SQL lives in main/store/: only main/store/** imports the SQLite driver (type-only imports are fine).',
};
/**
 * The fences between main's folders (ARCHITECTURE.md's layout): what each folder never imports. service/ sits on top
 * and may use them all; linking/ is called by service/; auth/, providers/ and store/ are at the bottom.
 */
const INNER_FENCES = {
  auth: { never: ['linking', 'service', 'sync', 'store'], why: 'main/auth is OAuth for native apps (RFC 8252) only' },
  linking: { never: ['service'], why: 'main/service calls the link workflow, never the other way round' },
  providers: { never: ['service', 'linking', 'sync', 'store'], why: 'a provider speaks to its aggregator and knows nothing of the app around it' },
  store: { never: ['service', 'linking', 'sync', 'providers'], why: 'main/store is the bottom layer' },
  sync: { never: ['service', 'linking'], why: 'main/service drives the sync engine, never the other way round' },
};
/** what a file in main/<folder> may not import (main/electron/** has its own list) */
const mainFences = (folder) => [
  electronOnlyHere,
  ...(folder === 'store' ? [] : [sqliteOnlyInStore]),
  { group: ['**/renderer/**'], message: 'main never imports the renderer.' },
  { group: ['**/sandbox/**'], message: 'main never imports sandbox/: demo mode reaches it through configuration.' },
  ...(INNER_FENCES[folder] ? [{
    // a relative import that climbs out of the file's folder into one of main's folders by that name
    regex: `^(\\.\\./)+(${INNER_FENCES[folder].never.join('|')})(/|$)`,
    message: `${INNER_FENCES[folder].why}: main/${folder} never imports main/${INNER_FENCES[folder].never.join(', main/')}.`,
  }] : []),
];
/** a string that starts like an SQL statement: SQL lives in main/store/ */
const SQL_START = '^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|PRAGMA)\\s';
const sqlText = 'SQL lives in main/store/: put this statement in a repository there and call it.';
const sqlOnlyInStore = {
  'no-restricted-syntax': ['error',
    { selector: `Literal[value=/${SQL_START}/]`, message: sqlText },
    { selector: `TemplateElement[value.raw=/${SQL_START}/]`, message: sqlText },
  ],
};
/** one folder per aggregator under main/providers; each is a plug-in: it may use what is shared in main/providers, never another's folder */
const PROVIDERS = ['powens', 'finapi', 'everifin', 'banqware', 'enablebanking'];
const providerFence = (name) => ({
  files: [`main/providers/${name}/**`],
  rules: restrict([
    ...mainFences('providers'),
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
    rules: restrict(mainFences()),
  },
  ...Object.keys(INNER_FENCES).map((folder) => ({ files: [`main/${folder}/**`], rules: restrict(mainFences(folder)) })),
  ...PROVIDERS.map(providerFence),
  { files: ['main/**'], ignores: ['main/store/**'], rules: sqlOnlyInStore },
  {
    files: ['main/electron/**'],
    rules: restrict([
      sqliteOnlyInStore,
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
