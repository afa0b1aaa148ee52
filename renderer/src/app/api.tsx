// React access to main: one MultibankApi in context, a data hook with loading/error states, and event subscriptions.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Channel, ErrorDto, EventName, EventOf, MultibankApi, RequestOf, Results } from '../../../preload/contract/channels.js';

const ApiContext = createContext<MultibankApi | null>(null);
/** Bumped whenever main reports changed data (sync finished, connection changed), so screens reload. */
const RevisionContext = createContext<{ revision: number; bump: () => void }>({ revision: 0, bump: () => {} });

/** A failed call, carrying the stable error code and the action the UI can offer. */
export class CallError extends Error {
  constructor(readonly error: ErrorDto) {
    super(error.message);
  }
}

export function ApiProvider({ api, children }: { api: MultibankApi; children: ReactNode }) {
  const [revision, setRevision] = useState(0);
  const bump = useCallback(() => setRevision((r) => r + 1), []);
  useEffect(() => {
    const offs = [
      api.on('connections.changed', bump),
      api.on('sync.progress', (p) => { if (p.phase === 'done' || p.phase === 'error') bump(); }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, bump]);
  return (
    <ApiContext.Provider value={api}>
      <RevisionContext.Provider value={{ revision, bump }}>{children}</RevisionContext.Provider>
    </ApiContext.Provider>
  );
}

export function useApi(): MultibankApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

export function useRevision() {
  return useContext(RevisionContext);
}

/** Call a channel and unwrap the result; failures throw CallError. */
export function useCall() {
  const api = useApi();
  return useCallback(
    async <C extends Channel>(channel: C, request?: RequestOf<C>): Promise<Results[C]> => {
      const r = await api.call(channel, request);
      if (!r.ok) throw new CallError(r.error);
      return r.value;
    },
    [api],
  );
}

export interface Query<T> { data?: T; error: ErrorDto | null; loading: boolean; reload: () => void }

/** Load a channel's result; reloads when `key` (a JSON-able description of the request) or the data revision changes. */
export function useQuery<C extends Channel>(channel: C, request?: RequestOf<C>, opts: { skip?: boolean } = {}): Query<Results[C]> {
  const api = useApi();
  const { revision } = useRevision();
  const [state, setState] = useState<{ data?: Results[C]; error: ErrorDto | null; loading: boolean }>({ error: null, loading: !opts.skip });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(request ?? null);
  const latest = useRef(0);
  useEffect(() => {
    if (opts.skip) return;
    const n = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    api.call(channel, request).then((r) => {
      if (n !== latest.current) return;
      setState(r.ok ? { data: r.value, error: null, loading: false } : { data: undefined, error: r.error, loading: false });
    });
  }, [api, channel, key, revision, tick, opts.skip]);
  return { ...state, reload: useCallback(() => setTick((t) => t + 1), []) };
}

export function useEvent<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) {
  const api = useApi();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api.on(event, (p) => ref.current(p)), [api, event]);
}
