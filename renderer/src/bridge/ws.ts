// The dev-bridge shim: MultibankApi over a WebSocket to main/devbridge, for `npm run preview` and the browser tests.
// Wire format (JSON): request {id, channel, request}; reply {id, result}; event {event, payload}.
import type { Channel, EventName, EventOf, MultibankApi, RequestOf, Result, Results } from '../../../preload/contract/channels.js';
import { formatMessage } from '../../../locales/format.js';
import { pickLanguage } from '../../../locales/index.js';

type Pending = (result: Result<unknown>) => void;

/** said outside React (no provider here), in the browser's language */
function lost(): Result<never> {
  const language = pickLanguage(globalThis.navigator?.languages ?? []);
  return { ok: false, error: { code: 'network', message: formatMessage(language, 'bridge.lost'), action: formatMessage(language, 'bridge.lost.action') } };
}

export function createWsBridge(url: string, WebSocketImpl: typeof WebSocket = WebSocket): MultibankApi {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const socket = new WebSocketImpl(url);
  const opened = new Promise<boolean>((resolve) => {
    socket.addEventListener('open', () => resolve(true));
    socket.addEventListener('close', () => resolve(false));
  });
  socket.addEventListener('error', () => {}); // a 'close' always follows; answered there

  socket.addEventListener('message', (ev: MessageEvent) => {
    let msg: { id?: number; result?: Result<unknown>; event?: EventName; payload?: unknown };
    try { msg = JSON.parse(String(ev.data)); } catch { return; }
    if (typeof msg.id === 'number' && msg.result) {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    } else if (msg.event) {
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve(lost());
    pending.clear();
  });

  return {
    async call<C extends Channel>(channel: C, request?: RequestOf<C>): Promise<Result<Results[C]>> {
      if (!(await opened) || socket.readyState !== WebSocketImpl.OPEN) return lost();
      const id = nextId++;
      return new Promise<Result<Results[C]>>((resolve) => {
        pending.set(id, resolve as Pending);
        socket.send(JSON.stringify({ id, channel, request }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => { set.delete(l); };
    },
  };
}
