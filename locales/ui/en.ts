// English: the reference catalogue; every other language has exactly these keys and placeholders.
export default {
  'language.name': 'English',
} as const;
