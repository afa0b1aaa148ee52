// Hash routes ("#/transactions?account=3"): work the same under app:// and the dev bridge, no server routes needed.
import { useEffect, useState } from 'react';

export interface Route { path: string[]; params: URLSearchParams }

export function parseHash(hash: string): Route {
  const [p, q = ''] = hash.replace(/^#\/?/, '').split('?');
  return { path: p.split('/').filter(Boolean), params: new URLSearchParams(q) };
}

export function navigate(to: string) {
  location.hash = to.startsWith('#') ? to : `#${to}`;
}

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parseHash(hash);
}
