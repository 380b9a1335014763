/** One task: what, where, when; photos, position and time; the proof and its answer. */
import { useState } from 'preact/hooks';
import { api, must } from '../api/client';
import { formatInstant, formatWindow, label, t } from '../i18n';
import { enqueue, jobsOf, jobsStore } from '../offline/outbox';
import { useStore } from '../store';
import { JobAnswer } from '../ui/answer';
import { ErrorBox, Loading, useLoad } from '../ui/common';
import { GpsLine, useFix } from '../ui/gps';
import { PhotoPicker, type TakenPhoto } from '../ui/photos';
import { StatusBadge } from '../ui/status';
import { cachedCrewDay } from './crew-today';

export function TaskScreen({ taskId }: { taskId: string }) {
  const loaded = useLoad(async () => {
    try {
      return must(await api.GET('/v1/tasks/{taskId}', { params: { path: { taskId } } }));
    } catch (error) {
      const cached = cachedCrewDay()?.tasks.find((task) => task.taskId === taskId);
      if (cached !== undefined && !navigator.onLine) return cached;
      throw error;
    }
  }, [taskId]);
  const jobs = jobsOf(useStore(jobsStore), taskId);
  const [photos, setPhotos] = useState<TakenPhoto[]>([]);
  const [note, setNote] = useState('');
  const gps = useFix();
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  const task = loaded.data;
  if (task === undefined) return <Loading />;
  const latest = jobs[0];
  const busy = latest !== undefined && (latest.state === 'queued' || latest.state === 'sending');
  const proved = jobs.some((job) => job.answer?.accepted === true) || task.status === 'done';
  const missing = Math.max(0, task.minPhotos - photos.length);
  const canSubmit = missing === 0 && gps.fix !== undefined && !busy;
  const title = `${task.segmentName ?? task.segmentId} · ${label(task.activityLabel, task.activity)}`;

  async function submit(): Promise<void> {
    if (gps.fix === undefined || task === undefined) return;
    const capturedAt = photos.map((photo) => photo.takenAt).sort().at(-1)!;
    await enqueue({
      kind: 'proof',
      subjectId: taskId,
      title,
      body: { capturedAt, gps: { lon: gps.fix.lon, lat: gps.fix.lat, accuracyM: gps.fix.accuracyM }, ...(note.trim() === '' ? {} : { note: note.trim() }) },
      photos: photos.map((photo) => photo.file),
      deadline: task.intake.closes,
    });
    setPhotos([]);
    setNote('');
  }

  return (
    <div>
      <p>
        <a class="button" href="#/">{t('back')}</a>
      </p>
      <h1>{title}</h1>
      <p>
        {task.street} · {t('window', { window: formatWindow(task.windowStart, task.windowEnd) })}（{t('graceNote', { minutes: task.graceMinutes })}） <StatusBadge status={task.status} />
      </p>
      <p class="muted">
        {t('minPhotos', { count: task.minPhotos })} · {t('uploadDeadline', { time: formatInstant(task.intake.closes) })}
      </p>
      {latest === undefined ? null : <JobAnswer job={latest} />}
      {proved || busy ? null : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <PhotoPicker photos={photos} onChange={setPhotos} min={task.minPhotos} />
          <GpsLine {...gps} />
          <label>
            {t('note')}
            <textarea value={note} maxLength={2000} rows={2} onInput={(event) => setNote(event.currentTarget.value)} />
          </label>
          <button type="submit" class="primary" disabled={!canSubmit}>
            {t('submitProof')}
          </button>
          {missing > 0 ? <p class="muted">{t('needPhotos', { count: missing })}</p> : gps.fix === undefined ? <p class="muted">{t('needGps')}</p> : null}
        </form>
      )}
    </div>
  );
}
