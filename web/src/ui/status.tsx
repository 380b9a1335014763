import type { MessageKey } from '../messages';
import { t } from '../i18n';

export function StatusBadge({ status }: { status: string }) {
  const key = `status_${status}` as MessageKey;
  return <span class={`badge badge-${status}`}>{key in statusKeys ? t(key) : status}</span>;
}

const statusKeys: Record<string, true> = Object.fromEntries(['status_pending', 'status_done', 'status_missed', 'status_rejected', 'status_cancelled', 'status_exempt', 'status_suspended'].map((key) => [key, true]));
