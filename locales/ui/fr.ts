import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'language.name': 'Français',
  'settings.language': 'Langue',
  'settings.formatLocale': 'Format des montants et des dates',
  'settings.formatLocale.followLanguage': 'Selon la langue',
} satisfies Translation<typeof en>;
