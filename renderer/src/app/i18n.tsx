// The renderer's words: FormatJS's IntlProvider over the shared catalogues (locales/), one language at a time.
import type { ReactNode } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { catalogue, type Language } from '../../../locales/index.js';

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  return (
    <IntlProvider locale={language} defaultLocale="en" messages={catalogue(language)}>
      {children}
    </IntlProvider>
  );
}

/** t('some.id', {values}) for attributes and strings; JSX text can also use <FormattedMessage id=… /> */
export function useT() {
  const intl = useIntl();
  return (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
}
