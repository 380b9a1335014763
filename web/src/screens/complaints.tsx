/** Complaints routed to an order and waiting for the inspector's verdict (属实 / 不属实). */
import { useState } from 'preact/hooks';
import { api, must, newKey, type Schemas } from '../api/client';
import { formatInstant, t } from '../i18n';
import { ErrorBox, Loading, useLoad } from '../ui/common';

type Complaint = Schemas['ComplaintView'];

function Verify({ complaint, onDone }: { complaint: Complaint; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [publicNote, setPublicNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [key] = useState(newKey);
  async function verdict(valid: boolean): Promise<void> {
    try {
      must(
        await api.POST('/v1/complaints/{complaintId}/verification', {
          params: { path: { complaintId: complaint.complaintId }, header: { 'if-match': `"${complaint.version}"`, 'idempotency-key': `${key}-${valid}` } },
          body: { valid, reason, ...(publicNote.trim() === '' ? {} : { publicNote: publicNote.trim() }) },
        }),
      );
      onDone();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <div class="verify">
      <label>
        {t('reason')}
        <textarea value={reason} rows={2} required onInput={(event) => setReason(event.currentTarget.value)} />
      </label>
      <label>
        {t('publicNote')}
        <textarea value={publicNote} rows={2} onInput={(event) => setPublicNote(event.currentTarget.value)} />
      </label>
      {error === undefined ? null : <ErrorBox error={error} />}
      <div class="row">
        <button type="button" class="primary" disabled={reason.trim() === ''} onClick={() => void verdict(true)}>
          {t('verdictValid')}
        </button>
        <button type="button" class="secondary" disabled={reason.trim() === ''} onClick={() => void verdict(false)}>
          {t('verdictInvalid')}
        </button>
      </div>
    </div>
  );
}

export function ComplaintsScreen() {
  const loaded = useLoad(async () => must(await api.GET('/v1/complaints', { params: { query: { status: 'routed', limit: 100 } } })).items, []);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  return (
    <div>
      <h1>{t('complaintsTitle')}</h1>
      {loaded.data.length === 0 ? <p>{t('complaintsEmpty')}</p> : null}
      <ul class="cards">
        {loaded.data.map((complaint) => (
          <li key={complaint.complaintId} class="card">
            <strong>
              {complaint.serviceName} · {complaint.description ?? ''}
            </strong>
            <span>
              {complaint.addressString ?? ''} · {formatInstant(complaint.requestedAt)}
            </span>
            <Verify complaint={complaint} onDone={loaded.reload} />
          </li>
        ))}
      </ul>
    </div>
  );
}
