/**
 * Whether the phone has signal, as the app last learned it: the browser's online/offline
 * events, and every request the outbox makes (a failed fetch means no signal, even when
 * navigator.onLine still says yes — it only knows about the network interface).
 */
import { store } from './store';

export const onlineStore = store<boolean>(navigator.onLine);
addEventListener('online', () => onlineStore.set(true));
addEventListener('offline', () => onlineStore.set(false));

export function reachable(yes: boolean): void {
  onlineStore.set(yes);
}
