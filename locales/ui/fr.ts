import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'language.name': 'Français',
} satisfies Translation<typeof en>;
