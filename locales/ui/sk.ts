import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'language.name': 'Slovenčina',
  'settings.language': 'Jazyk',
  'settings.formatLocale': 'Formát súm a dátumov',
  'settings.formatLocale.followLanguage': 'Podľa jazyka',
} satisfies Translation<typeof en>;
