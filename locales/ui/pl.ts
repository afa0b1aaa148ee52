import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'language.name': 'Polski',
  'settings.language': 'Język',
  'settings.formatLocale': 'Format kwot i dat',
  'settings.formatLocale.followLanguage': 'Zgodnie z językiem',
} satisfies Translation<typeof en>;
