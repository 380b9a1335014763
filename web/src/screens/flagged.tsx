/**
 * The flagged-proof queue: accepted proofs whose photos' EXIF time or position disagrees with
 * the claim, newest first. The photos side by side (5-minute links from the API), the flags
 * with their numbers, and reject-with-reason (If-Match: the proof's version).
 */
import { useState } from 'preact/hooks';
import { api, must, newKey, type Schemas } from '../api/client';
import { formatDate, formatInstant, label, language, t } from '../i18n';
import { ErrorBox, Loading, useLoad } from '../ui/common';

type Flagged = Schemas['FlaggedProof'];

function Photos({ proofId }: { proofId: string }) {
  const photos = useLoad(async () => must(await api.GET('/v1/proofs/{proofId}/photos', { params: { path: { proofId } } })).items, [proofId]);
  if (photos.error !== undefined) return <ErrorBox error={photos.error} onRetry={photos.reload} />;
  if (photos.data === undefined) return <Loading />;
  return (
    <div class="side-by-side">
      {photos.data.map((photo, index) =>
        photo.url === undefined ? (
          <p key={photo.evidenceId} class="muted">{photo.status}</p>
        ) : (
          <img key={photo.evidenceId} src={photo.url} alt={t('photoAlt', { n: index + 1 })} loading="lazy" />
        ),
      )}
    </div>
  );
}

function FlaggedCard({ proof, onRejected }: { proof: Flagged; onRejected: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [key] = useState(newKey);
  const [done, setDone] = useState(false);
  async function reject(): Promise<void> {
    try {
      must(
        await api.POST('/v1/proofs/{proofId}/rejection', {
          params: { path: { proofId: proof.proofId }, header: { 'if-match': `"${proof.version}"`, 'idempotency-key': key } },
          body: { reason: reason.trim() },
        }),
      );
      setDone(true);
      onRejected();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <li class="card" data-testid="flagged-proof">
      <strong>
        {proof.segmentName ?? proof.segmentId} · {label(proof.activityLabel, proof.activity)}
      </strong>
      <span>
        {proof.contractorName ?? proof.contractorId} · {formatDate(proof.localDate)} · {formatInstant(proof.capturedAt)}
      </span>
      <ul class="flags">
        {proof.flags.map((flag) => (
          <li key={`${flag.code}-${flag.evidenceId}`}>{language() === 'zh' ? flag.zh ?? flag.message : flag.message}</li>
        ))}
      </ul>
      <Photos proofId={proof.proofId} />
      {done ? (
        <p class="box ok">{t('rejected')}</p>
      ) : (
        <>
          <label>
            {t('rejectReason')}
            <textarea value={reason} rows={2} maxLength={1000} onInput={(event) => setReason(event.currentTarget.value)} />
          </label>
          {error === undefined ? null : <ErrorBox error={error} />}
          <button type="button" class="secondary" disabled={reason.trim() === ''} onClick={() => void reject()}>
            {t('reject')}
          </button>
        </>
      )}
    </li>
  );
}

export function FlaggedScreen() {
  const loaded = useLoad(async () => must(await api.GET('/v1/proofs/flagged', { params: { query: { limit: 50 } } })), []);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  return (
    <div>
      <h1>{t('flaggedTitle')}</h1>
      {loaded.data.items.length === 0 ? <p>{t('flaggedEmpty')}</p> : null}
      <ul class="cards">
        {loaded.data.items.map((proof) => (
          <FlaggedCard key={proof.proofId} proof={proof} onRejected={() => undefined} />
        ))}
      </ul>
    </div>
  );
}
