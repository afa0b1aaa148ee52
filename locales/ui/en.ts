// English: the reference catalogue; every other language has exactly these keys and placeholders.
export default {
  'language.name': 'English',
  'settings.language': 'Language',
  'settings.formatLocale': 'Format for money and dates',
  'settings.formatLocale.followLanguage': 'As the language',
} as const;
