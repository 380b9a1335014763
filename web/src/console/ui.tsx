/** Pieces every console screen uses: titles, money, rates, actions that explain refusals. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { formatBps, formatFen, formatX100 } from '../i18n';
import { ErrorBox } from '../ui/common';
import { ct } from './messages';

export function PageTitle({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-title">
      <h1>{title}</h1>
      {children === undefined ? null : <div class="page-actions">{children}</div>}
    </div>
  );
}

/** Integer fen as the API holds it; negative amounts (deductions) in red. */
export function Money({ fen }: { fen: number }) {
  return <span class={fen < 0 ? 'money negative' : 'money'}>{formatFen(fen)}</span>;
}

export function Score({ x100 }: { x100: number }) {
  return <span class="num">{formatX100(x100)}</span>;
}

/** A rate from the API in basis points; null (nothing due) reads as "—". */
export function Rate({ bps }: { bps: number | null | undefined }) {
  return <span class="num">{bps === null || bps === undefined ? '—' : formatBps(bps)}</span>;
}

/**
 * A button that runs an API action: busy while it runs, the API's refusal (in Chinese, with
 * the field it names) shown beside it, `onDone` after success.
 */
export function ActionButton({ label, run, onDone, kind = 'primary', disabled = false }: { label: string; run: () => Promise<unknown>; onDone?: (result: unknown) => void; kind?: 'primary' | 'secondary' | 'danger'; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function click(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const result = await run();
      onDone?.(result);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <span class="action">
      <button type="button" class={kind} disabled={busy || disabled} onClick={() => void click()}>
        {busy ? ct('working') : label}
      </button>
      {error === undefined ? null : <ErrorBox error={error} />}
    </span>
  );
}

/** The month before the current one in the district (YYYY-MM): the month finance closes. */
export function previousMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(now);
  const year = Number(parts.find((part) => part.type === 'year')?.value);
  const month = Number(parts.find((part) => part.type === 'month')?.value);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** A `?a=1&b=2` tail of a hash route as a map. */
export function queryOf(path: string): URLSearchParams {
  const at = path.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : path.slice(at + 1));
}
