import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'language.name': 'Deutsch',
} satisfies Translation<typeof en>;
