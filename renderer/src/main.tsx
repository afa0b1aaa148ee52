import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { I18nProvider } from './app/i18n.js';
import { browserLanguage } from './app/prefs.js';
import { connectApi } from './bridge/index.js';
import './styles.css';

// the browser's language until main answers with the user's choice (the shell then provides that one)
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider language={browserLanguage()}>
      <App api={connectApi()} />
    </I18nProvider>
  </StrictMode>,
);
