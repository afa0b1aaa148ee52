// What the UI (through IPC or the dev bridge) and the CLI can ask of main. One implementation: main/service/index.ts.
import type { Channel, EventName, EventOf, ParsedRequestOf, Results } from '../../preload/contract/channels.js';

export interface Service {
  /** Requests are already validated against the contract. Failures throw AppError. */
  call<C extends Channel>(channel: C, request: ParsedRequestOf<C>): Promise<Results[C]>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  /** The one entry point for redirects back from the browser (multibank:// deep links and the loopback listener). */
  handleRedirect(url: string): Promise<boolean>;
  close(): Promise<void>;
}
