import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'language.name': 'Deutsch',
  'settings.language': 'Sprache',
  'settings.formatLocale': 'Format für Beträge und Datum',
  'settings.formatLocale.followLanguage': 'Wie die Sprache',
} satisfies Translation<typeof en>;
