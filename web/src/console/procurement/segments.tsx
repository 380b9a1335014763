/**
 * Segments: the registry filtered by street, grade and flag (list and map show the same
 * answer of GET /v1/segments), the GeoJSON import with each refused feature on a map and in
 * a table, and a segment's versions with what changed.
 */
import { useState } from 'preact/hooks';
import { ApiProblem, api, must, newKey, type Problem } from '../../api/client';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { SegmentMap, type MapSegment } from '../../ui/segment-map';
import { PageTitle, queryOf } from '../ui';
import { pt } from './messages';
import { flagsLabel, gradeLabel, loadSegments, VersionHistory, type Segment } from './shared';

const grades = ['primary', 'secondary', 'branch', 'alley'] as const;
const flagValues = ['strict', 'controlled'] as const;

export function SegmentsScreen({ path }: { path: string }) {
  const query = queryOf(path);
  const street = query.get('street') ?? '';
  const grade = query.get('grade') ?? '';
  const flag = query.get('flag') ?? '';
  const [picked, setPicked] = useState<string>();
  const streets = useLoad(async () => [...new Set((await loadSegments('active')).map((segment) => segment.street))].sort(), []);
  const list = useLoad(
    () =>
      loadFiltered({
        ...(street === '' ? {} : { street }),
        ...(grade === '' ? {} : { grade: grade as (typeof grades)[number] }),
        ...(flag === '' ? {} : { flag: flag as (typeof flagValues)[number] }),
      }),
    [street, grade, flag],
  );
  function set(name: string, value: string): void {
    const next = new URLSearchParams(query);
    if (value === '') next.delete(name);
    else next.set(name, value);
    const tail = next.toString();
    navigate(`/procurement/segments${tail === '' ? '' : `?${tail}`}`);
  }
  return (
    <>
      <PageTitle title={pt('segmentsTitle')} />
      <form class="filters" aria-label={pt('filter')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {pt('street')}
          <select value={street} onChange={(event) => set('street', event.currentTarget.value)}>
            <option value="">{pt('all')}</option>
            {(streets.data ?? (street === '' ? [] : [street])).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {pt('grade')}
          <select value={grade} onChange={(event) => set('grade', event.currentTarget.value)}>
            <option value="">{pt('all')}</option>
            {grades.map((value) => (
              <option key={value} value={value}>
                {gradeLabel(value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {pt('flag')}
          <select value={flag} onChange={(event) => set('flag', event.currentTarget.value)}>
            <option value="">{pt('all')}</option>
            {flagValues.map((value) => (
              <option key={value} value={value}>
                {flagsLabel([value])}
              </option>
            ))}
          </select>
        </label>
      </form>
      {list.error !== undefined ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data === undefined ? (
        <Loading />
      ) : (
        <div class="grid-2 proc-split">
          <div class="proc-scroll">
            <SegmentTable segments={list.data} picked={picked} />
          </div>
          <SegmentMap segments={list.data} label={pt('segmentsMap')} highlight={picked} onPick={(id) => setPicked(id)} drawKey={`${street}|${grade}|${flag}`} />
        </div>
      )}
      <ImportPanel onImported={list.reload} />
    </>
  );
}

async function loadFiltered(filter: { street?: string; grade?: (typeof grades)[number]; flag?: (typeof flagValues)[number] }): Promise<Segment[]> {
  const items: Segment[] = [];
  let cursor: string | undefined;
  do {
    const page = must(await api.GET('/v1/segments', { params: { query: { limit: 200, ...filter, ...(cursor === undefined ? {} : { cursor }) } } }));
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

function SegmentTable({ segments, picked }: { segments: readonly Segment[]; picked?: string | undefined }) {
  if (segments.length === 0) return <p class="muted">{pt('empty')}</p>;
  return (
    <table class="data">
      <thead>
        <tr>
          <th scope="col">{pt('name')}</th>
          <th scope="col">{pt('street')}</th>
          <th scope="col">{pt('grade')}</th>
          <th scope="col">{pt('flags')}</th>
          <th scope="col" class="num">{pt('lengthM')}</th>
          <th scope="col" class="num">{pt('areaM2')}</th>
        </tr>
      </thead>
      <tbody>
        {segments.map((segment) => (
          <tr key={segment.segmentId} class={segment.segmentId === picked ? 'picked' : undefined}>
            <td>
              <a href={`#/procurement/segments/${segment.segmentId}`}>{segment.name}</a>
            </td>
            <td class="nowrap">{segment.street}</td>
            <td class="nowrap">{gradeLabel(segment.grade)}</td>
            <td>{flagsLabel(segment.flags)}</td>
            <td class="num">{segment.lengthM}</td>
            <td class="num">{segment.areaM2}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface Refusal {
  readonly index: number | undefined;
  readonly field: string;
  readonly message: string;
}

const featurePath = /^(?:body\.)?featureCollection\.features\.(\d+)(?:\.(.*))?$/;

/** The problem's failing fields, each pinned to the feature it names (when it names one). */
function refusalsOf(problem: Problem): Refusal[] {
  return (problem.errors ?? []).map((error) => {
    const field = Array.isArray(error.field) ? error.field.join('.') : String(error.field);
    const match = featurePath.exec(field);
    return { index: match === null ? undefined : Number(match[1]), field: match === null ? field : (match[2] ?? ''), message: error.message };
  });
}

interface FileFeature {
  readonly properties?: Record<string, unknown> | null;
  readonly geometry?: { readonly type?: unknown; readonly coordinates?: unknown } | null;
}

function drawable(feature: FileFeature | undefined): feature is FileFeature & { geometry: { type: string; coordinates: unknown } } {
  const geometry = feature?.geometry;
  return geometry !== null && geometry !== undefined && typeof geometry.type === 'string' && ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'].includes(geometry.type) && Array.isArray(geometry.coordinates) && validNumbers(geometry.coordinates);
}

function validNumbers(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  if (typeof value[0] === 'number') return value.length >= 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
  return value.every(validNumbers);
}

function ImportPanel({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [refused, setRefused] = useState<{ features: FileFeature[]; refusals: Refusal[] }>();
  const [result, setResult] = useState<{ featureCount: number; created: number; updated: number; unchanged: number; segments: { index: number; externalId: string; segmentId: string; outcome: string }[] }>();
  async function run(): Promise<void> {
    if (file === undefined) return;
    setBusy(true);
    setError(undefined);
    setRefused(undefined);
    setResult(undefined);
    let parsed: { features?: FileFeature[] };
    try {
      parsed = JSON.parse(await file.text()) as { features?: FileFeature[] };
    } catch (caught) {
      setError(new Error(pt('notJson', { message: caught instanceof Error ? caught.message : String(caught) })));
      setBusy(false);
      return;
    }
    try {
      const answer = await api.POST('/v1/segments/imports', {
        params: { header: { 'idempotency-key': newKey() } },
        body: { featureCollection: parsed as never, flagValues: {}, gradeValues: {} },
      });
      const done = must(answer);
      setResult(done);
      onImported();
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiProblem && (caught.problem.errors?.length ?? 0) > 0) {
        setRefused({ features: Array.isArray(parsed.features) ? parsed.features : [], refusals: refusalsOf(caught.problem) });
      }
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="proc-section" aria-labelledby="import-title">
      <h2 id="import-title">{pt('importTitle')}</h2>
      <p class="muted">{pt('importHelp')}</p>
      <div class="filters">
        <label>
          {pt('importFile')}
          <input type="file" accept=".geojson,.json,application/geo+json,application/json" onChange={(event) => setFile(event.currentTarget.files?.[0])} />
        </label>
        <button type="button" class="primary" disabled={file === undefined || busy} onClick={() => void run()}>
          {busy ? '…' : pt('importRun')}
        </button>
      </div>
      {result === undefined ? null : (
        <>
          <p class="box ok" role="status">
            {pt('importDone', { count: result.featureCount, created: result.created, updated: result.updated, unchanged: result.unchanged })}
          </p>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{pt('feature')}</th>
                <th scope="col">{pt('externalId')}</th>
                <th scope="col">{pt('outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {result.segments.map((segment) => (
                <tr key={segment.index}>
                  <td>#{segment.index}</td>
                  <td>
                    <a href={`#/procurement/segments/${segment.segmentId}`}>{segment.externalId}</a>
                  </td>
                  <td>{pt(`outcome_${segment.outcome}` as 'outcome_created')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {error === undefined ? null : refused !== undefined && error instanceof ApiProblem ? (
        // The reasons are in the table below, feature by feature: here only the API's summary.
        <p class="box error" role="alert">
          {error.problem.detail ?? error.message}
        </p>
      ) : (
        <ErrorBox error={error} />
      )}
      {refused === undefined ? null : <RefusedFeatures features={refused.features} refusals={refused.refusals} />}
    </section>
  );
}

function RefusedFeatures({ features, refusals }: { features: readonly FileFeature[]; refusals: readonly Refusal[] }) {
  const [picked, setPicked] = useState<string>();
  const indexes = [...new Set(refusals.flatMap((refusal) => (refusal.index === undefined ? [] : [refusal.index])))];
  const onMap: MapSegment[] = indexes.flatMap((index) => {
    const feature = features[index];
    return drawable(feature) ? [{ segmentId: `feature-${index}`, name: featureName(feature, index), geometry: feature.geometry }] : [];
  });
  const reasonsOf = (index: number): string => refusals.filter((refusal) => refusal.index === index).map((refusal) => refusal.message).join('；');
  return (
    <div class="refused" data-testid="import-refusal">
      <p>{pt('importRefused')}</p>
      <div class="grid-2">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{pt('feature')}</th>
              <th scope="col">{pt('name')}</th>
              <th scope="col">{pt('field')}</th>
              <th scope="col">{pt('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {refusals.map((refusal, row) => (
              <tr key={row} class={refusal.index !== undefined && `feature-${refusal.index}` === picked ? 'picked' : undefined}>
                <td>{refusal.index === undefined ? pt('fileLevel') : `#${refusal.index}`}</td>
                <td class="nowrap">
                  {refusal.index === undefined ? '' : featureName(features[refusal.index], refusal.index)}
                  {refusal.index !== undefined && !drawable(features[refusal.index]) ? <span class="muted"> {pt('noGeometry')}</span> : null}
                </td>
                <td>
                  <code>{refusal.field}</code>
                </td>
                <td>{refusal.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {onMap.length === 0 ? null : (
          <SegmentMap
            segments={onMap}
            label={pt('refusedMap')}
            colorOf={() => '#b91c1c'}
            tooltipOf={(id) => {
              const index = Number(id.slice('feature-'.length));
              return `#${index} ${featureName(features[index], index)}：${reasonsOf(index)}`;
            }}
            highlight={picked}
            onPick={(id) => setPicked(id)}
            drawKey={refusals.map((refusal) => `${refusal.index}:${refusal.field}`).join(',')}
          />
        )}
      </div>
    </div>
  );
}

function featureName(feature: FileFeature | undefined, index: number): string {
  const properties = feature?.properties ?? {};
  const name = properties['name'] ?? properties['id'];
  return typeof name === 'string' || typeof name === 'number' ? String(name) : `#${index}`;
}

const historyFields = ['name', 'street', 'grid', 'grade', 'flags', 'widthM', 'lengthM', 'areaM2', 'status', 'retiredReason'] as const;

function shown(segment: Segment, field: (typeof historyFields)[number]): string {
  const value = segment[field];
  if (value === undefined) return '—';
  if (field === 'grade') return gradeLabel(String(value));
  if (field === 'flags') return flagsLabel(value as string[]) || '—';
  if (field === 'status') return pt(`segStatus_${String(value)}` as 'segStatus_active');
  return String(value);
}

const fieldLabel: Record<(typeof historyFields)[number], () => string> = {
  name: () => pt('name'),
  street: () => pt('street'),
  grid: () => pt('grid'),
  grade: () => pt('grade'),
  flags: () => pt('flags'),
  widthM: () => pt('widthM'),
  lengthM: () => pt('lengthM'),
  areaM2: () => pt('areaM2'),
  status: () => pt('status'),
  retiredReason: () => pt('reason'),
};

/** What one version changed against the one before it, field by field as stored. */
function changesOf(previous: Segment | undefined, current: Segment): string[] {
  if (previous === undefined) return [pt('created')];
  const lines = historyFields.filter((field) => shown(previous, field) !== shown(current, field)).map((field) => `${fieldLabel[field]()}：${shown(previous, field)} → ${shown(current, field)}`);
  if (JSON.stringify(previous.geometry) !== JSON.stringify(current.geometry)) lines.push(pt('geometryChanged'));
  return lines.length === 0 ? [pt('noChange')] : lines;
}

export function SegmentHistoryScreen({ segmentId }: { segmentId: string }) {
  const loaded = useLoad(async () => {
    const [segment, history] = await Promise.all([
      api.GET('/v1/segments/{segmentId}', { params: { path: { segmentId } } }).then(must),
      allPagesOf(segmentId),
    ]);
    return { segment, history: [...history].sort((a, b) => a.version - b.version) };
  }, [segmentId]);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { segment, history } = loaded.data;
  return (
    <>
      <PageTitle title={pt('historyTitle', { name: segment.name })}>
        <a href="#/procurement/segments">{pt('back')}</a>
      </PageTitle>
      <div class="grid-2">
        <dl class="facts">
          <dt>{pt('street')}</dt>
          <dd>{segment.street}</dd>
          <dt>{pt('grid')}</dt>
          <dd>{segment.grid ?? '—'}</dd>
          <dt>{pt('grade')}</dt>
          <dd>{gradeLabel(segment.grade)}</dd>
          <dt>{pt('flags')}</dt>
          <dd>{flagsLabel(segment.flags) || '—'}</dd>
          <dt>{pt('lengthM')}</dt>
          <dd>{segment.lengthM}</dd>
          <dt>{pt('areaM2')}</dt>
          <dd>{segment.areaM2}</dd>
          <dt>{pt('externalId')}</dt>
          <dd>{segment.externalId ?? '—'}</dd>
          <dt>{pt('status')}</dt>
          <dd>{shown(segment, 'status')}</dd>
        </dl>
        <SegmentMap segments={[segment]} label={segment.name} />
      </div>
      <VersionHistory caption={pt('history')} history={history} changesOf={changesOf} />
    </>
  );
}

async function allPagesOf(segmentId: string): Promise<Segment[]> {
  const items: Segment[] = [];
  let cursor: string | undefined;
  do {
    const page = must(await api.GET('/v1/segments/{segmentId}/history', { params: { path: { segmentId }, query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } } }));
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}
