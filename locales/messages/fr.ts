import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'error.unexpected': 'Une erreur s’est produite : {detail}',
} satisfies Translation<typeof en>;
