// The one way the renderer reaches main: window.multibank (Electron preload), or the dev-bridge WebSocket in a browser.
import type { MultibankApi } from '../../../preload/contract/channels.js';
import { createWsBridge } from './ws.js';

declare global {
  interface Window { multibank?: MultibankApi }
}

/** The dev bridge puts its token in the page URL (?token=…); keep it for reloads of the same tab. */
function bridgeToken(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('multibank.token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('multibank.token');
}

export function connectApi(): MultibankApi | null {
  if (window.multibank) return window.multibank;
  const token = bridgeToken();
  if (!token || !location.protocol.startsWith('http')) return null;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsBridge(`${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`);
}
