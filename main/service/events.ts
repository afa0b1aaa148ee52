// The service's events (the contract's `events`), fanned out to listeners; a throwing listener never breaks the emitter.
import type { EventName, EventOf } from '../../preload/contract/channels.js';

export interface EventHub {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
}

export function createEventHub(onListenerError: (e: unknown) => void = () => {}): EventHub {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) { set = new Set(); listeners.set(event, set); }
      set.add(listener as (payload: never) => void);
      return () => { set!.delete(listener as (payload: never) => void); };
    },
    emit(event, payload) {
      for (const l of [...(listeners.get(event) ?? [])]) {
        try { (l as (p: typeof payload) => void)(payload); } catch (e) { onListenerError(e); }
      }
    },
  };
}
