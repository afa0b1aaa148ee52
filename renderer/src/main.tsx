import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { I18nProvider } from './app/i18n.js';
import { connectApi } from './bridge/index.js';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider language="en">
      <App api={connectApi()} />
    </I18nProvider>
  </StrictMode>,
);
