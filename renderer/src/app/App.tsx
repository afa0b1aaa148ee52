// The shell: navigation, sync bar, banners, and the screen for the current route.
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { MultibankApi } from '../../../preload/contract/channels.js';
import { ApiProvider, useQuery } from './api.js';
import { DisplayProvider } from './prefs.js';
import { navigate, useRoute } from './router.js';
import { SyncBar } from './SyncBar.js';
import { Banners } from './Banners.js';
import { HealthBanners } from './HealthBanners.js';
import { ErrorBox, Loading } from '../components/ui.js';
import { useT } from './i18n.js';
import { FirstRun } from '../features/firstrun/FirstRun.js';
import { Overview } from '../features/accounts/Overview.js';
import { TransactionsPage } from '../features/transactions/TransactionsPage.js';
import { ConnectionsPage } from '../features/connections/ConnectionsPage.js';
import { SyncLogPage } from '../features/synclog/SyncLogPage.js';
import { LinkWizard } from '../features/link/LinkWizard.js';
import { ExportPage } from '../features/export/ExportPage.js';
import { SettingsPage } from '../features/settings/SettingsPage.js';
import { CategoriesPage } from '../features/categories/CategoriesPage.js';
import { LockGate } from '../features/lock/LockGate.js';

// the charts library is large: load it with the first account page, not at start-up
const AccountPage = lazy(() => import('../features/accounts/AccountPage.js').then((m) => ({ default: m.AccountPage })));

/** the product's name is never translated */
const PRODUCT = 'Multibank';

/** the sections; each one's label is the catalogue's nav.<path> */
const NAV = ['accounts', 'transactions', 'categories', 'connections', 'sync-log', 'export', 'settings'];

export function App({ api }: { api: MultibankApi | null }) {
  const t = useT();
  if (!api) {
    return (
      <main className="standalone">
        <ErrorBox error={{ code: 'network', message: t('app.noMain'), action: t('app.noMain.action') }} />
      </main>
    );
  }
  return (
    <ApiProvider api={api}>
      <LockGate><Shell /></LockGate>
    </ApiProvider>
  );
}

function Shell() {
  const prefs = useQuery('prefs.get');
  const info = useQuery('app.info');
  const providers = useQuery('providers.list');
  const connections = useQuery('connections.list');
  const route = useRoute();
  const [skipFirstRun, setSkipFirstRun] = useState(false);
  /** clicks on "Link a bank" while the wizard is open */
  const [linkRestarts, setLinkRestarts] = useState(0);

  const configured = providers.data?.some((p) => p.configured) ?? false;
  const hasConnections = (connections.data?.length ?? 0) > 0;
  const firstRun = !!providers.data && !!connections.data && !configured && !hasConnections && !skipFirstRun;
  const section = route.path[0] ?? 'accounts';

  useEffect(() => {
    if (!route.path.length && !firstRun) navigate('/accounts');
  }, [route.path.length, firstRun]);

  const initialError = providers.error ?? connections.error;
  return (
    <DisplayProvider initialTheme={prefs.data?.theme ?? 'system'} initialLanguage={prefs.data?.language}>
      <ShellLayout demo={!!info.data?.demo} section={section} onLinkRestart={() => setLinkRestarts((n) => n + 1)}>
        <SyncBar />
        <HealthBanners info={info.data} />
        <Banners connections={connections.data ?? []} leadDays={prefs.data?.consentLeadDays ?? 7} />
        <main id="main" tabIndex={-1}>
          {/* Settings stays reachable when a damaged database cannot answer the start-up queries: backups are there */}
          {section === 'settings' ? <SettingsPage />
            : initialError ? <ErrorBox error={initialError} onRetry={() => { providers.reload(); connections.reload(); }} />
            : !providers.data || !connections.data ? <Loading />
            : firstRun && section !== 'link' ? <FirstRun onSkip={() => setSkipFirstRun(true)} />
            : <Screen section={section} route={route} linkRestarts={linkRestarts} />}
        </main>
      </ShellLayout>
    </DisplayProvider>
  );
}

/** inside DisplayProvider, so its words are in the user's language */
function ShellLayout({ demo, section, onLinkRestart, children }: { demo: boolean; section: string; onLinkRestart: () => void; children: ReactNode }) {
  const t = useT();
  return (
    <>
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <div className="layout">
        <aside className="sidebar">
          <div className="brand"><span className="brand-mark" aria-hidden="true">{PRODUCT[0]}</span> {PRODUCT}{demo ? <span className="badge badge-info">{t('nav.demo')}</span> : null}</div>
          <nav aria-label={t('nav.main')}>
            <ul>
              {NAV.map((path) => (
                <li key={path}>
                  <a href={`#/${path}`} aria-current={section === path ? 'page' : undefined}>{t(`nav.${path}`)}</a>
                </li>
              ))}
            </ul>
          </nav>
          {/* on the wizard already, the address may not change: the wizard starts again itself (asking first mid-sign-in) */}
          <a className="button primary link-bank" href="#/link" onClick={(e) => { if (section === 'link') { e.preventDefault(); onLinkRestart(); } }}>{t('nav.linkBank')}</a>
        </aside>
        <div className="content">{children}</div>
      </div>
    </>
  );
}

function Screen({ section, route, linkRestarts }: { section: string; route: ReturnType<typeof useRoute>; linkRestarts: number }) {
  switch (section) {
    case 'transactions': return <TransactionsPage params={route.params} />;
    case 'account': return <Suspense fallback={<Loading />}><AccountPage accountId={Number(route.path[1])} /></Suspense>;
    case 'connections': return <ConnectionsPage />;
    case 'sync-log': return <SyncLogPage />;
    case 'link': return <LinkWizard params={route.params} restartRequest={linkRestarts} />;
    case 'export': return <ExportPage />;
    case 'categories': return <CategoriesPage />;
    default: return <Overview />;
  }
}
