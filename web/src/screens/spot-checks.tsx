/** The month's committed spot-check draw (月度抽查) per service type, its segments on the map. */
import { api, type Schemas } from '../api/client';
import { allSegments } from '../api/lists';
import { formatInstant, t, tenantZone } from '../i18n';
import { ErrorBox, Loading, Section, useLoad } from '../ui/common';
import { SegmentMap } from '../ui/segment-map';

type Draw = Schemas['SpotCheckDraw'];
const serviceTypes = ['cleaning', 'greening', 'municipal'] as const;
const serviceNames = { cleaning: { zh: '环卫保洁', en: 'Cleaning' }, greening: { zh: '绿化养护', en: 'Greening' }, municipal: { zh: '市政设施维护', en: 'Municipal' } } as const;

function thisMonth(): string {
  // The tenant's month, in the district's zone.
  return new Intl.DateTimeFormat('en-CA', { timeZone: tenantZone, year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

export function SpotChecksScreen() {
  const month = thisMonth();
  const loaded = useLoad(async () => {
    const draws = await Promise.all(
      serviceTypes.map(async (serviceType) => {
        const answer = await api.GET('/v1/spot-checks/{month}', { params: { path: { month }, query: { serviceType } } });
        return answer.response.ok ? (answer.data as Draw) : undefined;
      }),
    );
    const segmentIds = new Set(draws.flatMap((draw) => (draw?.selection ?? draw?.candidates.map((candidate) => ({ segmentId: candidate.segmentId })) ?? []).map((entry) => entry.segmentId)));
    const segments = segmentIds.size === 0 ? [] : (await allSegments()).filter((segment) => segmentIds.has(segment.segmentId));
    return { draws, segments };
  }, [month]);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { draws, segments } = loaded.data;
  const names = new Map(segments.map((segment) => [segment.segmentId, segment.name]));
  return (
    <div>
      <h1>{t('spotChecksTitle', { month })}</h1>
      {segments.length > 0 ? <SegmentMap segments={segments} /> : null}
      {serviceTypes.map((serviceType, index) => {
        const draw = draws[index];
        const title = t('language') === 'English' ? serviceNames[serviceType].zh : serviceNames[serviceType].en;
        return (
          <Section key={serviceType} title={title}>
            {draw === undefined ? (
              <p>{t('spotChecksNone')}</p>
            ) : (
              <>
                <p class="muted">
                  {draw.status} · {formatInstant(draw.committedAt)} · {draw.commitment.slice(0, 16)}…
                </p>
                <ul>
                  {(draw.selection ?? draw.candidates.map((candidate) => ({ segmentId: candidate.segmentId, quotaIndex: -1 }))).map((entry) => (
                    <li key={entry.segmentId}>{names.get(entry.segmentId) ?? entry.segmentId}</li>
                  ))}
                </ul>
              </>
            )}
          </Section>
        );
      })}
    </div>
  );
}
