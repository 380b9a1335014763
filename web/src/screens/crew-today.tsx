/**
 * A crew's day: the tasks of its active contracts, grouped by road with window and status,
 * nearest road first when the phone's position is known. The last list is kept on the phone,
 * so a crew without signal still sees its day.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, must, type Schemas } from '../api/client';
import { allPages, allSegments, type ListedSegment } from '../api/lists';
import { distanceToGeometryM } from '../../../domain/proofs/distance';
import { currentFix, type Fix } from '../geo/position';
import { formatDate, formatDistance, formatInstant, formatWindow, label, t } from '../i18n';
import { ErrorBox, Loading, useLoad } from '../ui/common';
import { SegmentMap } from '../ui/segment-map';
import { StatusBadge } from '../ui/status';

type Task = Schemas['Task'];
type Segment = ListedSegment;

export interface CrewDay {
  readonly date: string;
  readonly tasks: readonly Task[];
  readonly segments: Readonly<Record<string, Segment>>;
  readonly fetchedAt: string;
}

const cacheKey = 'xiuhua.crew-day';

export async function loadCrewDay(day?: string): Promise<CrewDay> {
  const contracts = must(await api.GET('/v1/contracts', { params: { query: { status: 'active' } } })).items;
  let date = '';
  const perContract = await Promise.all(
    contracts.map((contract) =>
      allPages(async (cursor) => {
        const page = must(await api.GET('/v1/contracts/{contractId}/tasks', { params: { path: { contractId: contract.contractId }, query: { limit: 200, ...(day === undefined ? {} : { date: day }), ...(cursor === undefined ? {} : { cursor }) } } }));
        date = page.date;
        return page;
      }),
    ),
  );
  const tasks = perContract.flat();
  const wanted = new Set(tasks.map((task) => task.segmentId));
  const segments: Record<string, Segment> = {};
  if (wanted.size > 0) {
    const all = await allSegments();
    for (const segment of all) if (wanted.has(segment.segmentId)) segments[segment.segmentId] = segment;
  }
  const loaded: CrewDay = { date, tasks, segments, fetchedAt: new Date().toISOString() };
  if (day === undefined) localStorage.setItem(cacheKey, JSON.stringify(loaded));
  return loaded;
}

/** The day last fetched, for a phone without signal. */
export function cachedCrewDay(): CrewDay | undefined {
  try {
    const text = localStorage.getItem(cacheKey);
    return text === null ? undefined : (JSON.parse(text) as CrewDay);
  } catch {
    return undefined;
  }
}

interface Road {
  readonly segmentId: string;
  readonly name: string;
  readonly street: string;
  readonly tasks: Task[];
  readonly distanceM?: number;
}

function roads(day: CrewDay, fix: Fix | undefined): Road[] {
  const bySegment = new Map<string, Task[]>();
  for (const task of day.tasks) bySegment.set(task.segmentId, [...(bySegment.get(task.segmentId) ?? []), task]);
  const list = [...bySegment].map(([segmentId, tasks]): Road => {
    const segment = day.segments[segmentId];
    const first = tasks[0]!;
    const distanceM = fix === undefined || segment === undefined ? undefined : distanceToGeometryM(fix, segment.geometry as never);
    return {
      segmentId,
      name: first.segmentName ?? segmentId,
      street: first.street ?? '',
      tasks: tasks.sort((a, b) => a.windowStart.localeCompare(b.windowStart)),
      ...(distanceM === undefined ? {} : { distanceM }),
    };
  });
  return list.sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity) || a.name.localeCompare(b.name, 'zh-CN'));
}

/** The date before a YYYY-MM-DD date (calendar arithmetic on the date itself, no zone). */
function dayBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * Today by default; yesterday on request, because a task takes late uploads until the end of
 * the day after its date (a night shift, or a crew that had no signal, submits the next morning).
 */
export function CrewToday({ yesterday = false }: { yesterday?: boolean }) {
  const loaded = useLoad(async () => {
    try {
      if (yesterday) {
        const today = (await loadCrewDay()).date;
        return { day: await loadCrewDay(dayBefore(today)), cached: false };
      }
      return { day: await loadCrewDay(), cached: false };
    } catch (error) {
      const cached = cachedCrewDay();
      if (cached !== undefined && !navigator.onLine) return { day: cached, cached: true };
      throw error;
    }
  }, [yesterday]);
  const [fix, setFix] = useState<Fix | undefined>();
  const [showMap, setShowMap] = useState(false);
  useEffect(() => {
    void currentFix().then((result) => 'fix' in result && setFix(result.fix));
  }, []);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { day, cached } = loaded.data;
  const list = roads(day, fix);
  const open = day.tasks.filter((task) => task.status === 'pending' || task.status === 'rejected').length;
  return (
    <div>
      <h1>{t('tasksOf', { date: day.date === '' ? '' : formatDate(day.date) })}</h1>
      <p class="row">
        <a class={`button ${yesterday ? '' : 'current'}`} href="#/" aria-current={yesterday ? undefined : 'page'}>
          {t('today')}
        </a>
        <a class={`button ${yesterday ? 'current' : ''}`} href="#/yesterday" aria-current={yesterday ? 'page' : undefined}>
          {t('yesterdayLate')}
        </a>
      </p>
      {cached ? <p class="box warn">{t('cachedAt', { time: formatInstant(day.fetchedAt, { withOffset: false }) })}</p> : null}
      <p class="muted">
        {t('tasksSummary', { roads: list.length, tasks: day.tasks.length, open })} · {fix === undefined ? t('locationOff') : t('nearestFirst')}
      </p>
      {list.length === 0 ? <p>{t('noTasks')}</p> : null}
      {list.length > 0 ? (
        <button type="button" class="secondary" onClick={() => setShowMap(!showMap)} aria-expanded={showMap}>
          {showMap ? t('hideMap') : t('showMap')}
        </button>
      ) : null}
      {showMap ? <SegmentMap segments={Object.values(day.segments)} here={fix} /> : null}
      <ul class="roads">
        {list.map((road) => (
          <li key={road.segmentId} class="road">
            <h2>
              {road.name}
              <small>
                {road.street}
                {road.distanceM === undefined ? '' : ` · ${t('distanceAway', { distance: formatDistance(road.distanceM) })}`}
              </small>
            </h2>
            <ul class="tasks">
              {road.tasks.map((task) => (
                <li key={task.taskId}>
                  <a class="task-link" href={`#/tasks/${task.taskId}`}>
                    <span class="activity">{label(task.activityLabel, task.activity)}</span>
                    <span class="window">{formatWindow(task.windowStart, task.windowEnd)}</span>
                    <StatusBadge status={task.status} />
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
