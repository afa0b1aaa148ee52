// The preload script: the only preload file that imports electron. It runs with sandbox: true, so it is built as
// CommonJS and may require nothing but 'electron' at run time (the contract is imported for its types only).
// It exposes window.multibank (MultibankApi): calls go through ONE invoke channel, events come back on ONE channel.
import { contextBridge, ipcRenderer } from 'electron';
import type { Channel, EventName, EventOf, MultibankApi, RequestOf, Result, Results } from './contract/channels.js';

// the same literals as IPC_CALL / IPC_EVENT in main/ipc/dispatch.ts (a unit test keeps them in step)
const CALL = 'multibank:call';
const EVENT = 'multibank:event';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(EVENT, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of [...(listeners.get(name) ?? [])]) {
    try { listener(payload); } catch (e) { console.error('multibank event listener failed', e); }
  }
});

const api: MultibankApi = {
  call<C extends Channel>(channel: C, request?: RequestOf<C>): Promise<Result<Results[C]>> {
    return ipcRenderer.invoke(CALL, channel, request) as Promise<Result<Results[C]>>;
  },
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => { set.delete(l); };
  },
};

contextBridge.exposeInMainWorld('multibank', api);
