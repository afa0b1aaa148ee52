import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'error.unexpected': 'Etwas ist schiefgelaufen: {detail}',
} satisfies Translation<typeof en>;
