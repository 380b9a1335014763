/**
 * The statement's XLSX (zh) and CSV downloads. The API answers an export as a job (issue 16:
 * 202 with its id and a status URL, polled until it is ready with the file name and a
 * five-minute link, or failed with a reason); a 201 with the link at once is still handled.
 */
import { useState } from 'preact/hooks';
import { api, ApiProblem, problemText, requestHeaders, type Problem } from '../../api/client';
import { language } from '../../i18n';
import { fm } from './messages';

type Format = 'xlsx' | 'csv';

interface Link {
  readonly url: string;
  readonly key?: string;
  /** What the download saves as (the job's `fileName`, e.g. 结算单_<合同>_2026-11_zh.xlsx). */
  readonly fileName?: string;
}

/** A job's answer, read loosely: the fields the async export is expected to carry. */
interface JobAnswer {
  readonly jobId?: string;
  readonly id?: string;
  readonly status?: string;
  readonly statusUrl?: string;
  readonly url?: string;
  readonly downloadUrl?: string;
  readonly key?: string;
  readonly fileName?: string;
  readonly reason?: string;
  readonly error?: string | { readonly message?: string; readonly zh?: string };
  readonly failure?: string | { readonly message?: string; readonly zh?: string };
  readonly detail?: string;
}

const pollEveryMs = 1000;
const pollForMs = 120_000;

function linkOf(answer: JobAnswer): Link | undefined {
  const url = answer.url ?? answer.downloadUrl;
  return url === undefined ? undefined : { url, ...(answer.key === undefined ? {} : { key: answer.key }), ...(answer.fileName === undefined ? {} : { fileName: answer.fileName }) };
}

function reasonOf(answer: JobAnswer): string {
  const named = answer.reason ?? answer.failure ?? answer.error ?? answer.detail;
  if (typeof named === 'string') return named;
  if (named !== undefined) return (language() === 'zh' ? named.zh : undefined) ?? named.message ?? JSON.stringify(named);
  return answer.status ?? '?';
}

class ExportFailed extends Error {
  override readonly name = 'ExportFailed';
}

async function pollJob(statusUrl: string, onStatus: (status: string) => void): Promise<Link> {
  const until = Date.now() + pollForMs;
  while (Date.now() < until) {
    const response = await fetch(new URL(statusUrl, location.origin), { headers: await requestHeaders() });
    const body = (await response.json().catch(() => ({}))) as JobAnswer & Problem;
    if (!response.ok) throw new ApiProblem(response.status, body);
    const link = linkOf(body);
    const status = body.status ?? '';
    if (/^(failed|error)$/i.test(status)) throw new ExportFailed(fm('exportFailed', { reason: reasonOf(body) }));
    if (link !== undefined && !/^(queued|pending|running|processing)$/i.test(status)) return link;
    onStatus(status);
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
  }
  throw new ExportFailed(fm('exportTimeout'));
}

/** Starts the export and waits for its link (sync answer, or the job polled to the end). */
async function exportLink(contractId: string, month: string, format: Format, onStatus: (status: string) => void): Promise<Link> {
  const answer = await api.POST('/v1/contracts/{contractId}/statements/{month}/exports', {
    params: { path: { contractId, month } },
    body: { format, lang: 'zh' },
  });
  const { response } = answer;
  if (!response.ok) throw new ApiProblem(response.status, (answer.error ?? {}) as Problem);
  const body = (answer.data ?? {}) as JobAnswer;
  if (response.status === 202) {
    const jobId = body.jobId ?? body.id;
    const statusUrl = body.statusUrl ?? response.headers.get('location') ?? (jobId === undefined ? undefined : `/v1/contracts/${encodeURIComponent(contractId)}/statements/${month}/exports/${encodeURIComponent(jobId)}`);
    if (statusUrl === undefined) throw new ExportFailed(fm('exportFailed', { reason: 'no status URL' }));
    onStatus(body.status ?? 'queued');
    return pollJob(statusUrl, onStatus);
  }
  const link = linkOf(body);
  if (link === undefined) throw new ExportFailed(fm('exportFailed', { reason: reasonOf(body) }));
  return link;
}

function fileName(link: Link, format: Format): string {
  if (link.fileName !== undefined && link.fileName !== '') return link.fileName;
  const fromKey = link.key?.split('/').pop();
  return fromKey !== undefined && fromKey !== '' ? fromKey : `statement.${format}`;
}

/** One export button: 生成中… while the job runs, then the download (started, and offered as a link). */
export function ExportButton({ contractId, month, format }: { contractId: string; month: string; format: Format }) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'running' } | { kind: 'ready'; link: Link } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  async function run(): Promise<void> {
    setState({ kind: 'running' });
    try {
      const link = await exportLink(contractId, month, format, () => setState({ kind: 'running' }));
      setState({ kind: 'ready', link });
      // The link is a presigned GET answered with Content-Disposition: attachment.
      const anchor = document.createElement('a');
      anchor.href = link.url;
      anchor.rel = 'noopener';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    } catch (caught) {
      setState({ kind: 'failed', message: caught instanceof ApiProblem ? caught.message : caught instanceof Error ? caught.message : problemText({}, 0) });
    }
  }
  const labelText = format === 'xlsx' ? fm('exportXlsx') : fm('exportCsv');
  return (
    <span class="action export" data-testid={`export-${format}`}>
      <button type="button" class="secondary" disabled={state.kind === 'running'} onClick={() => void run()}>
        {state.kind === 'running' ? fm('exporting') : labelText}
      </button>
      {state.kind === 'running' ? (
        <span class="muted" role="status">
          {fm('exporting')}
        </span>
      ) : null}
      {state.kind === 'ready' ? (
        <span class="muted" role="status">
          <a href={state.link.url} data-testid={`download-${format}`}>
            {fm('download', { name: fileName(state.link, format) })}
          </a>
        </span>
      ) : null}
      {state.kind === 'failed' ? (
        <span class="box error" role="alert">
          {state.message}
        </span>
      ) : null}
    </span>
  );
}
