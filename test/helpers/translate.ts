// t() outside React, for the renderer's plain functions that take one (validateField, readSize, …): the same catalogue.
import { formatMessage } from '../../locales/format.js';
import type { Language } from '../../locales/index.js';
import type { Translate } from '../../renderer/src/app/i18n.js';

export const translator = (language: Language = 'en'): Translate => (id, values) => formatMessage(language, id, values);
