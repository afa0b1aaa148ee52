// Renders a renderer component as the app does: inside the i18n provider (English unless a test asks for another).
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nProvider } from '../../renderer/src/app/i18n.js';
import type { Language } from '../../locales/index.js';

export function renderUi(ui: ReactElement, { language = 'en', ...options }: RenderOptions & { language?: Language } = {}) {
  return render(ui, { wrapper: ({ children }) => <I18nProvider language={language}>{children}</I18nProvider>, ...options });
}
