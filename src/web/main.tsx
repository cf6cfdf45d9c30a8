import './zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider, initialLang, loadCatalog } from './i18n/i18n.js';
import { App } from './App.js';
import './styles.css';

// The reader's language first (one catalog, not both), then the app.
await loadCatalog(initialLang()).catch(() => loadCatalog('en'));
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
