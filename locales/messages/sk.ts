import type { Translation } from '../index.js';
import type en from './en.js';

export default {
  'error.unexpected': 'Niečo sa pokazilo: {detail}',
} satisfies Translation<typeof en>;
