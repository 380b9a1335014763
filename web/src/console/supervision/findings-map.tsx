/**
 * 问题地图: the month's findings, valid complaints, late orders, missed tasks and points by segment
 * (GET /v1/supervision/{month}/segments) on the segments' geometry (GET /v1/segments). The
 * colour of a segment compares the API's figure with fixed steps; nothing is summed here.
 */
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { allSegments } from '../../api/lists';
import { formatX100, language } from '../../i18n';
import { navigate } from '../../router';
import { Loading, useLoad } from '../../ui/common';
import { SegmentMap } from '../../ui/segment-map';
import { Money, PageTitle, Score } from '../ui';
import { st } from './messages';
import { ServiceTypeSelect, serviceTypes, type ServiceType } from './service-type';
import { currentMonth, isMonth, periodLabel } from './months';
import { names } from './names';
import { Refusal } from './notices';

type SupervisionSegment = Schemas['SupervisionSegment'];

/** What colours the map: one of the API's per-segment figures. */
const measures = ['pointsX100', 'findings', 'validComplaints', 'lateOrders', 'missedTasks'] as const;
type Measure = (typeof measures)[number];

/** Fixed steps per measure: some (≥ first) and many (≥ second), in the API's units. */
const steps: Record<Measure, readonly [number, number]> = {
  pointsX100: [1, 1000],
  findings: [1, 3],
  validComplaints: [1, 2],
  lateOrders: [1, 2],
  missedTasks: [1, 10],
};
const colours = { none: '#94a3b8', some: '#f59e0b', many: '#b91c1c' } as const;

export interface MapQuery {
  readonly month: string;
  readonly serviceType?: ServiceType;
  readonly by: Measure;
}

export function mapQuery(query: URLSearchParams): MapQuery {
  const month = query.get('month') ?? '';
  const type = query.get('serviceType') ?? '';
  const by = query.get('by') ?? '';
  return {
    month: isMonth(month) ? month : currentMonth(),
    by: (measures as readonly string[]).includes(by) ? (by as Measure) : 'pointsX100',
    ...((serviceTypes as readonly string[]).includes(type) ? { serviceType: type as ServiceType } : {}),
  };
}

function mapPath(query: MapQuery): string {
  const params = new URLSearchParams({ month: query.month, by: query.by });
  if (query.serviceType !== undefined) params.set('serviceType', query.serviceType);
  return `/supervision/map?${params.toString()}`;
}

function measureLabel(measure: Measure): string {
  return measure === 'pointsX100' ? st('pointsDeducted') : st(`measure_${measure}`);
}

function stepText(measure: Measure, value: number): string {
  return measure === 'pointsX100' ? `${formatX100(value)} 分` : String(value);
}

function levelOf(segment: SupervisionSegment | undefined, by: Measure): keyof typeof colours {
  const value = segment?.[by] ?? 0;
  const [some, many] = steps[by];
  return value >= many ? 'many' : value >= some ? 'some' : 'none';
}

function Filters({ query }: { query: MapQuery }) {
  const [month, setMonth] = useState(query.month);
  const [serviceType, setServiceType] = useState<string>(query.serviceType ?? '');
  const [by, setBy] = useState<Measure>(query.by);
  function submit(event: Event): void {
    event.preventDefault();
    navigate(mapPath({ month, by, ...((serviceTypes as readonly string[]).includes(serviceType) ? { serviceType: serviceType as ServiceType } : {}) }));
  }
  return (
    <form class="filters" onSubmit={submit}>
      <label>
        {st('month')}
        <input type="month" required value={month} max={currentMonth()} onInput={(event) => setMonth((event.target as HTMLInputElement).value)} />
      </label>
      <ServiceTypeSelect value={serviceType} onChange={setServiceType} />
      <label>
        {st('colourBy')}
        <select value={by} onChange={(event) => setBy((event.target as HTMLSelectElement).value as Measure)}>
          {measures.map((measure) => (
            <option key={measure} value={measure}>
              {measureLabel(measure)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary">
        {st('show')}
      </button>
    </form>
  );
}

function Legend({ by }: { by: Measure }) {
  const [some, many] = steps[by];
  return (
    <ul class="map-legend" aria-label={st('legend')}>
      <li>
        <span class="swatch" style={{ background: colours.none }} aria-hidden="true" />
        {st('legendNone', { what: measureLabel(by) })}
      </li>
      <li>
        <span class="swatch" style={{ background: colours.some }} aria-hidden="true" />
        {st('legendSome', { what: measureLabel(by), from: stepText(by, some), to: stepText(by, many) })}
      </li>
      <li>
        <span class="swatch" style={{ background: colours.many }} aria-hidden="true" />
        {st('legendMany', { what: measureLabel(by), from: stepText(by, many) })}
      </li>
    </ul>
  );
}

export function FindingsMapScreen({ query }: { query: MapQuery }) {
  const loaded = useLoad(async () => {
    const [month, segments, known] = await Promise.all([
      must(await api.GET('/v1/supervision/{month}/segments', { params: { path: { month: query.month }, query: query.serviceType === undefined ? {} : { serviceType: query.serviceType } } })),
      allSegments(),
      names(),
    ]);
    return { month, segments, names: known };
  }, [query.month, query.serviceType]);
  const [picked, setPicked] = useState<string | undefined>();
  const zh = language() === 'zh';
  if (loaded.error !== undefined)
    return (
      <>
        <PageTitle title={st('mapTitle')} />
        <Filters query={query} />
        <Refusal error={loaded.error} onRetry={loaded.reload} />
      </>
    );
  if (loaded.data === undefined)
    return (
      <>
        <PageTitle title={st('mapTitle')} />
        <Filters query={query} />
        <Loading />
      </>
    );
  const { month, segments, names: known } = loaded.data;
  const bySegment = new Map(month.segments.map((segment) => [segment.segmentId, segment]));
  const nameOf = (segmentId: string): string => bySegment.get(segmentId)?.segmentName ?? segments.find((segment) => segment.segmentId === segmentId)?.name ?? segmentId;
  const tooltipOf = (segmentId: string): string => {
    const figures = bySegment.get(segmentId);
    if (figures === undefined) return `${nameOf(segmentId)}：${st('noIssuesHere')}`;
    return st('mapTooltip', { name: nameOf(segmentId), findings: figures.findings, complaints: figures.validComplaints, late: figures.lateOrders, missed: figures.missedTasks, points: formatX100(figures.pointsX100) });
  };
  const listed = [...month.segments].sort((a, b) => b[query.by] - a[query.by]);
  const unlocated = month.unlocated;
  return (
    <>
      <PageTitle title={st('mapTitle')} />
      <Filters key={mapPath(query)} query={query} />
      <p class="muted">{st('mapIntro', { month: periodLabel(month.month, zh), statements: month.statements })}</p>
      {month.contractsWithoutAssessment.length === 0 ? null : <p class="box warn">{st('withoutAssessment', { contracts: month.contractsWithoutAssessment.map((id) => known.contract(id)).join('、') })}</p>}
      <div class="map-layout">
        <div>
          <SegmentMap
            segments={segments}
            colorOf={(segmentId) => colours[levelOf(bySegment.get(segmentId), query.by)]}
            tooltipOf={tooltipOf}
            onPick={(segmentId) => setPicked(segmentId)}
            highlight={picked}
            drawKey={`${month.month}/${query.serviceType ?? ''}/${query.by}/${picked ?? ''}`}
            label={st('mapLabel', { month: periodLabel(month.month, zh) })}
          />
          <Legend by={query.by} />
        </div>
        <aside class="map-side" aria-live="polite">
          {picked === undefined ? (
            <p class="muted">{st('pickHint')}</p>
          ) : (
            <PickedSegment segmentId={picked} name={nameOf(picked)} figures={bySegment.get(picked)} contract={known.contract} />
          )}
        </aside>
      </div>
      <h2>{st('segmentsWithIssues', { count: month.segments.length })}</h2>
      {month.segments.length === 0 ? (
        <p class="muted">{st('noIssues')}</p>
      ) : (
        <table class="data">
          <caption class="muted">{st('sortedBy', { what: measureLabel(query.by) })}</caption>
          <thead>
            <tr>
              <th scope="col">{st('segment')}</th>
              <th scope="col">{st('street')}</th>
              <th scope="col" class="num">{st('findings')}</th>
              <th scope="col" class="num">{st('complaints')}</th>
              <th scope="col" class="num">{st('lateOrdersShort')}</th>
              <th scope="col" class="num">{st('measure_missedTasks')}</th>
              <th scope="col" class="num">{st('pointsDeducted')}</th>
              <th scope="col" class="num">{st('fine')}</th>
              <th scope="col">{st('contract')}</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((segment) => (
              <tr key={segment.segmentId} class={segment.segmentId === picked ? 'picked' : undefined}>
                <td>
                  <button type="button" class="link" onClick={() => setPicked(segment.segmentId)} aria-pressed={segment.segmentId === picked}>
                    {segment.segmentName ?? segment.segmentId}
                  </button>
                </td>
                <td>{segment.street ?? ''}</td>
                <td class="num">{segment.findings}</td>
                <td class="num">{segment.validComplaints}</td>
                <td class="num">{segment.lateOrders}</td>
                <td class="num">{segment.missedTasks}</td>
                <td class="num">
                  <Score x100={segment.pointsX100} />
                </td>
                <td class="num">
                  <Money fen={segment.fineFen} />
                </td>
                <td class="contracts">{segment.contractIds.map((id) => known.contract(id)).join("、")}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={2}>{st('unlocated')}</td>
              <td class="num">{unlocated.findings}</td>
              <td class="num">{unlocated.validComplaints}</td>
              <td class="num">{unlocated.lateOrders}</td>
              <td class="num">{unlocated.missedTasks}</td>
              <td class="num">
                <Score x100={unlocated.pointsX100} />
              </td>
              <td class="num">
                <Money fen={unlocated.fineFen} />
              </td>
              <td>{unlocated.contractIds.map((id) => known.contract(id)).join('、')}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </>
  );
}

function PickedSegment({ segmentId, name, figures, contract }: { segmentId: string; name: string; figures: SupervisionSegment | undefined; contract: (id: string) => string }) {
  return (
    <>
      <h2>{name}</h2>
      {figures === undefined ? (
        <p>{st('noIssuesHere')}</p>
      ) : (
        <dl class="facts">
          <dt>{st('findings')}</dt>
          <dd>{figures.findings}</dd>
          <dt>{st('complaints')}</dt>
          <dd>{figures.validComplaints}</dd>
          <dt>{st('lateOrdersShort')}</dt>
          <dd>{figures.lateOrders}</dd>
          <dt>{st('measure_missedTasks')}</dt>
          <dd>{figures.missedTasks}</dd>
          <dt>{st('pointsDeducted')}</dt>
          <dd>
            <Score x100={figures.pointsX100} /> 分
          </dd>
          <dt>{st('fine')}</dt>
          <dd>
            <Money fen={figures.fineFen} />
          </dd>
          <dt>{st('contract')}</dt>
          <dd>{figures.contractIds.map((id) => contract(id)).join('、')}</dd>
        </dl>
      )}
      <p>
        <a href={`#/supervision/audit/Segment/${encodeURIComponent(segmentId)}`}>{st('auditOf', { what: st('segment') })}</a>
      </p>
    </>
  );
}
