// ipcMain wiring: one invoke channel through the dispatcher (sender = the calling frame, checked against the app://
// origin), and service events sent to the window on one event channel.
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { createDispatcher, forwardEvents, IPC_CALL, IPC_EVENT } from '../ipc/dispatch.js';
import type { Logger } from '../log/logger.js';
import type { Service } from '../service/api.js';
import { isTrustedSenderFrame } from './policy.js';

export function isTrustedIpcSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  let frame: WebFrameMain | null | undefined;
  try { frame = event.senderFrame; } catch { return false; }
  return isTrustedSenderFrame(frame as { url?: unknown; parent?: unknown } | null | undefined);
}

export function wireIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, service: Service, logger?: Logger): () => void {
  const dispatch = createDispatcher<IpcMainInvokeEvent>(service, { isTrustedSender: isTrustedIpcSender, logger });
  ipcMain.handle(IPC_CALL, (event, channel: unknown, payload: unknown) => dispatch(event, channel, payload));
  return () => ipcMain.removeHandler(IPC_CALL);
}

/** Send every service event to the window's web contents (only while it shows the app). */
export function forwardEventsTo(service: Service, getContents: () => WebContents | null | undefined, logger?: Logger): () => void {
  return forwardEvents(service, (name, payload) => {
    const contents = getContents();
    if (!contents || contents.isDestroyed()) return;
    contents.send(IPC_EVENT, name, payload);
  }, logger);
}
