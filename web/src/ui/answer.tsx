/** What the API answered a queued submission, in the crew's language, with its numbers. */
import type { Job } from '../offline/outbox';
import { formatInstant, t } from '../i18n';
import { onlineStore } from '../net';
import { useStore } from '../store';

export function JobAnswer({ job }: { job: Job }) {
  const online = useStore(onlineStore);
  if (job.state === 'queued' || job.state === 'sending') {
    const done = job.photos.filter((photo) => photo.uploaded).length;
    return (
      <div class="box info" role="status" data-testid="job-pending">
        <p>{online && job.state === 'sending' ? t('sending') : t('queuedOffline')}</p>
        <p class="muted">
          {t('photosUploaded', { done, total: job.photos.length })}
          {job.deadline === undefined ? '' : ` · ${t('uploadDeadline', { time: formatInstant(job.deadline) })}`}
        </p>
        {job.lastError === undefined ? null : <p class="muted">{t('lastError', { error: job.lastError })}</p>}
      </div>
    );
  }
  const answer = job.answer;
  if (answer === undefined) return null;
  if (answer.accepted) {
    return (
      <div class="box ok" role="status" data-testid="job-accepted">
        <p>
          <strong>{job.kind === 'proof' ? t('accepted') : t('answerAccepted')}</strong>
        </p>
        {answer.flags !== undefined && answer.flags.length > 0 ? (
          <>
            <p>{t('acceptedWithFlags')}</p>
            <ul>{answer.flags.map((flag) => <li key={flag}>{flag}</li>)}</ul>
          </>
        ) : null}
      </div>
    );
  }
  return (
    <div class="box error" role="alert" data-testid="job-refused">
      <p>
        <strong>{job.kind === 'proof' ? t('refused') : t('answerRefused')}</strong>
      </p>
      <ul>{answer.reasons.map((reason) => <li key={reason}>{reason}</li>)}</ul>
    </div>
  );
}
