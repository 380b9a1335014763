/** The outbox as the crew sees it: what waits, what was answered; it survives a reload. */
import type { MessageKey } from '../messages';
import { formatInstant, t } from '../i18n';
import { drain, forget, jobsStore } from '../offline/outbox';
import { useStore } from '../store';
import { JobAnswer } from '../ui/answer';

export function QueueScreen() {
  const jobs = [...useStore(jobsStore)].reverse();
  const waiting = jobs.some((job) => job.state === 'queued');
  return (
    <div>
      <h1>{t('queueTitle')}</h1>
      <p class="muted">{t('queueExplain')}</p>
      {waiting ? (
        <button type="button" class="secondary" onClick={() => void drain()}>
          {t('sendNow')}
        </button>
      ) : null}
      {jobs.length === 0 ? <p>{t('queueEmpty')}</p> : null}
      <ul class="jobs">
        {jobs.map((job) => (
          <li key={job.id} class="job" data-testid="queue-item" data-state={job.state}>
            <h2>
              {job.title}
              <small>
                {t(`kind_${job.kind}` as MessageKey)} · {formatInstant(job.createdAt)} · {t(`state_${job.state}` as MessageKey)}
              </small>
            </h2>
            <JobAnswer job={job} />
            {job.state === 'done' || job.state === 'refused' ? (
              <button type="button" class="secondary" onClick={() => void forget(job.id)}>
                {t('remove')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
