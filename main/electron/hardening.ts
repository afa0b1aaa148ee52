// Lock-down handlers for every web contents and session: no navigation away from the app, no new windows
// (http(s) links that pass the URL policy go to the system browser), no webviews, no permissions.
import type { Session, WebContents } from 'electron';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { isAllowedExternalUrl, isAppUrl } from './policy.js';

export interface HardeningDeps {
  /** shell.openExternal */
  openExternal: (url: string) => Promise<void> | void;
  logger?: Logger;
}

/** Hand a URL to the system browser if the policy allows it; returns whether it did. */
export function openExternalIfAllowed(url: string, deps: HardeningDeps): boolean {
  const log = deps.logger ?? silentLogger;
  if (!isAllowedExternalUrl(url)) {
    log.warn('refused to open a URL outside the app', { url: String(url).slice(0, 200) });
    return false;
  }
  try {
    void Promise.resolve(deps.openExternal(url)).catch((e: unknown) => log.warn('the system browser could not be opened', { err: e }));
  } catch (e) {
    log.warn('the system browser could not be opened', { err: e });
  }
  return true;
}

type NavEvent = { preventDefault(): void; url?: string };

export function hardenWebContents(contents: WebContents, deps: HardeningDeps): void {
  const log = deps.logger ?? silentLogger;
  const onNavigate = (event: NavEvent, legacyUrl?: string) => {
    const url = event.url ?? legacyUrl ?? '';
    if (isAppUrl(url)) return; // a reload or in-app page of app://multibank
    event.preventDefault();
    openExternalIfAllowed(url, deps);
  };
  contents.on('will-navigate', onNavigate as never);
  contents.on('will-frame-navigate', ((event: NavEvent) => {
    if (!isAppUrl(event.url ?? '')) event.preventDefault();
  }) as never);
  contents.on('will-redirect', ((event: NavEvent, legacyUrl?: string) => {
    const url = event.url ?? legacyUrl ?? '';
    if (!isAppUrl(url)) {
      event.preventDefault();
      log.warn('blocked a redirect away from the app', { url: url.slice(0, 200) });
    }
  }) as never);
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url, deps);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', ((event: NavEvent) => { event.preventDefault(); }) as never);
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
