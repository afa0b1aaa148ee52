import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'error.unexpected': 'Coś poszło nie tak: {detail}',
} satisfies Translation<typeof en>;
