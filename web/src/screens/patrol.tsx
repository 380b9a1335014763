/**
 * Patrol (巡查): the segment under the inspector's position (or picked from the list or the
 * map), the contract in force there and its rulebook as a checklist with counts; the score
 * and money effect come from POST /v1/inspections/preview (priced by the server exactly as
 * recording will price it — nothing is computed here) before the inspector saves; the orders
 * the saved inspection raised are shown after.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { distanceToGeometryM } from '../../../domain/proofs/distance';
import { api, ApiProblem, must, newKey, type Schemas } from '../api/client';
import { allSegments } from '../api/lists';
import { formatDistance, formatFen, formatInstant, formatX100, language, t } from '../i18n';
import { messages, type MessageKey } from '../messages';
import { ErrorBox, Loading, Section, useLoad } from '../ui/common';
import { GpsLine, useFix } from '../ui/gps';
import { PhotoPicker, type TakenPhoto } from '../ui/photos';
import { SegmentMap } from '../ui/segment-map';
import { postToS3 } from '../api/uploads';

/** Rulebook categories with a label of their own (messages.ts); others show their slug. */
const categoryKeys: Record<string, true> = Object.fromEntries(Object.keys(messages).filter((key) => key.startsWith('category_')).map((key) => [key.slice('category_'.length), true]));

type Checklist = Schemas['InspectionChecklistView'];
type Preview = Schemas['InspectionPreviewView'];
type Recorded = Schemas['RecordedInspection'];
type ServiceType = 'cleaning' | 'greening' | 'municipal';
const serviceTypes: readonly { value: ServiceType; zh: string; en: string }[] = [
  { value: 'cleaning', zh: '环卫保洁', en: 'Cleaning' },
  { value: 'greening', zh: '绿化养护', en: 'Greening' },
  { value: 'municipal', zh: '市政设施维护', en: 'Municipal' },
];

function Stepper({ label, value, onChange }: { label: string; value: number; onChange: (value: number) => void }) {
  return (
    <span class="stepper">
      <button type="button" aria-label={t('decrease', { item: label })} disabled={value === 0} onClick={() => onChange(value - 1)}>
        −
      </button>
      <output aria-live="polite">{value}</output>
      <button type="button" aria-label={t('increase', { item: label })} onClick={() => onChange(value + 1)}>
        +
      </button>
    </span>
  );
}

/**
 * The findings' photos, uploaded before the inspection is recorded: the first upload
 * allocates the inspection's id (POST /v1/inspections/uploads), the others name it; each
 * request has a key derived from the inspection's own, so a retried save repeats nothing.
 */
async function uploadFindingPhotos(
  segmentId: string,
  serviceType: ServiceType,
  inspectionKey: string,
  photos: Readonly<Record<string, readonly TakenPhoto[]>>,
  itemCodes: readonly string[],
): Promise<{ inspectionId?: string; evidence: Record<string, string[]> }> {
  let inspectionId: string | undefined;
  const evidence: Record<string, string[]> = {};
  for (const itemCode of itemCodes) {
    for (const [index, photo] of (photos[itemCode] ?? []).entries()) {
      const issued = must(
        await api.POST('/v1/inspections/uploads', {
          params: { header: { 'idempotency-key': `${inspectionKey}.${itemCode}.${index}` } },
          body: { segmentId, serviceType, contentType: photo.file.type || 'image/jpeg', ...(inspectionId === undefined ? {} : { inspectionId }) },
        }),
      );
      inspectionId = issued.inspectionId;
      const posted = await postToS3(issued, photo.file, photo.file.name);
      if (!posted.ok) throw new Error(`S3 ${posted.status}`);
      (evidence[itemCode] ??= []).push(issued.evidenceId);
    }
  }
  // S3 tells the ingest of each photo asynchronously: give it a moment before recording.
  if (inspectionId !== undefined) await new Promise((resolve) => setTimeout(resolve, 1500));
  return { ...(inspectionId === undefined ? {} : { inspectionId }), evidence };
}

export function PatrolScreen() {
  const segments = useLoad(async () => (await allSegments()).filter((segment) => segment.status === 'active'), []);
  const gps = useFix();
  const [picked, setPicked] = useState<string | undefined>();
  const [serviceType, setServiceType] = useState<ServiceType>('cleaning');
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [photos, setPhotos] = useState<Record<string, TakenPhoto[]>>({});
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<Preview | undefined>();
  const [previewError, setPreviewError] = useState<unknown>();
  const [saved, setSaved] = useState<Recorded | undefined>();
  const [savedPhotos, setSavedPhotos] = useState(0);
  const [saveError, setSaveError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [key, setKey] = useState(newKey);
  const [showMap, setShowMap] = useState(false);

  const nearest = useMemo(() => {
    if (segments.data === undefined || gps.fix === undefined) return undefined;
    let best: { segmentId: string; distanceM: number } | undefined;
    for (const segment of segments.data) {
      const distanceM = distanceToGeometryM(gps.fix, segment.geometry as never);
      if (best === undefined || distanceM < best.distanceM) best = { segmentId: segment.segmentId, distanceM };
    }
    return best;
  }, [segments.data, gps.fix]);
  const segmentId = picked ?? nearest?.segmentId;

  const checklist = useLoad(async (): Promise<Checklist | undefined> => {
    if (segmentId === undefined) return undefined;
    return must(await api.GET('/v1/inspections/checklist', { params: { query: { segmentId, serviceType } } }));
  }, [segmentId, serviceType]);

  const findings = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([itemCode, count]) => ({ itemCode, count, evidenceIds: [] as string[] }));
  const body = segmentId === undefined ? undefined : {
    segmentId,
    serviceType,
    kind: 'patrol' as const,
    at: new Date().toISOString(),
    inspectorIds: [],
    findings,
    ...(gps.fix === undefined ? {} : { gps: { lon: gps.fix.lon, lat: gps.fix.lat } }),
    ...(note.trim() === '' ? {} : { note: note.trim() }),
  };
  const bodyKey = JSON.stringify({ segmentId, serviceType, findings });

  useEffect(() => {
    if (body === undefined || findings.length === 0) {
      setPreview(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void api.POST('/v1/inspections/preview', { body }).then(
        (answer) => {
          if (!live) return;
          try {
            setPreview(must(answer));
            setPreviewError(undefined);
          } catch (error) {
            setPreviewError(error);
          }
        },
        (error: unknown) => live && setPreviewError(error),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bodyKey]);

  async function save(): Promise<void> {
    if (body === undefined) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const { inspectionId, evidence } = await uploadFindingPhotos(body.segmentId, body.serviceType, key, photos, findings.map((finding) => finding.itemCode));
      const withPhotos = {
        ...body,
        ...(inspectionId === undefined ? {} : { inspectionId }),
        findings: body.findings.map((finding) => ({ ...finding, evidenceIds: evidence[finding.itemCode] ?? [] })),
      };
      const recorded = must(await api.POST('/v1/inspections', { params: { header: { 'idempotency-key': key } }, body: withPhotos }));
      setSaved(recorded);
      setSavedPhotos(Object.values(evidence).reduce((sum, ids) => sum + ids.length, 0));
      setPhotos({});
      setCounts({});
      setNote('');
      setKey(newKey());
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  }

  if (segments.error !== undefined) return <ErrorBox error={segments.error} onRetry={segments.reload} />;
  if (segments.data === undefined) return <Loading />;
  const names = new Map(segments.data.map((segment) => [segment.segmentId, segment]));
  const chosen = segmentId === undefined ? undefined : names.get(segmentId);
  const zh = language() === 'zh';
  return (
    <div>
      <h1>{t('patrolTitle')}</h1>
      <GpsLine {...gps} />
      <label>
        {t('patrolSegment')}
        <select
          value={segmentId ?? ''}
          onChange={(event) => {
            setPicked(event.currentTarget.value || undefined);
            setCounts({});
          }}
        >
          <option value="">{t('pickSegment')}</option>
          {segments.data.map((segment) => (
            <option key={segment.segmentId} value={segment.segmentId}>
              {segment.name} · {segment.street}
            </option>
          ))}
        </select>
      </label>
      {picked === undefined && nearest !== undefined && chosen !== undefined ? <p class="muted">{t('segmentUnderGps', { distance: formatDistance(nearest.distanceM) })}</p> : null}
      <button type="button" class="secondary" onClick={() => setShowMap(!showMap)} aria-expanded={showMap}>
        {showMap ? t('hideMap') : t('showMap')}
      </button>
      {showMap ? <SegmentMap segments={segments.data} here={gps.fix} highlight={segmentId} onPick={(id) => setPicked(id)} /> : null}
      <label>
        {t('serviceType')}
        <select value={serviceType} onChange={(event) => setServiceType(event.currentTarget.value as ServiceType)}>
          {serviceTypes.map((type) => (
            <option key={type.value} value={type.value}>
              {zh ? type.zh : type.en}
            </option>
          ))}
        </select>
      </label>
      {saved === undefined ? null : (
        <div class="box ok" role="status" data-testid="inspection-saved">
          <p>
            <strong>{t('inspectionSaved')}</strong>
          </p>
          <p>{t('previewTotals', { points: formatX100(saved.inspection.totals.pointsX100), fine: formatFen(saved.inspection.totals.fineFen) })}</p>
          {savedPhotos > 0 ? <p>{t('photosAttached', { count: savedPhotos })}</p> : null}
          {saved.orders.length === 0 ? null : (
            <>
              <p>{t('ordersRaised')}</p>
              <ul data-testid="orders-raised">
                {saved.orders.map((order) => (
                  <li key={order.orderId}>
                    {order.description} · {t('dueAt', { time: formatInstant(order.dueAt) })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {checklist.error !== undefined ? <ErrorBox error={checklist.error} onRetry={checklist.reload} /> : null}
      {checklist.data === undefined ? (segmentId === undefined ? null : checklist.error === undefined ? <Loading /> : null) : (
        <>
          <p class="muted">{t('contractInForce', { title: checklist.data.contract.title, contractor: checklist.data.contract.contractorName ?? checklist.data.contract.contractorId })}</p>
          <Section title={`${t('checklist')} · ${checklist.data.rulebook.name}`}>
            {checklist.data.categories.map((category) => (
              <div key={category.category}>
                <h3>{category.category in categoryKeys ? t(`category_${category.category}` as MessageKey) : category.category}</h3>
                <ul class="checklist">
                  {category.items.map((item) => {
                    const text = zh ? item.descriptionZh : item.descriptionEn ?? item.descriptionZh;
                    return (
                      <li key={item.code} class={(counts[item.code] ?? 0) > 0 ? 'counted' : ''}>
                        <span class="item">
                          {text}
                          <small class="muted"> {item.fineFen === 0 ? t('unitDeduction', { points: formatX100(item.pointsX100) }) : t('unitDeductionFine', { points: formatX100(item.pointsX100), fine: formatFen(item.fineFen) })}</small>
                        </span>
                        <Stepper label={text} value={counts[item.code] ?? 0} onChange={(value) => {
                            setSaved(undefined);
                            setCounts({ ...counts, [item.code]: value });
                          }} />
                        {(counts[item.code] ?? 0) > 0 ? <PhotoPicker photos={photos[item.code] ?? []} min={0} onChange={(taken) => setPhotos({ ...photos, [item.code]: taken })} /> : null}
                      </li>
                    );
                  })}
                </ul>
              </div>
            ))}
          </Section>
          <label>
            {t('note')}
            <textarea value={note} rows={2} maxLength={2000} onInput={(event) => setNote(event.currentTarget.value)} />
          </label>
          <Section title={t('preview')}>
            {findings.length === 0 ? <p>{t('noFindings')}</p> : null}
            {previewError === undefined ? null : <ErrorBox error={previewError} />}
            {preview === undefined || findings.length === 0 ? null : (
              <div class="box info" data-testid="preview">
                <p>
                  <strong>{t('previewTotals', { points: formatX100(preview.totals.pointsX100), fine: formatFen(preview.totals.fineFen) })}</strong>
                </p>
                {preview.orders.length === 0 ? null : <p>{t('ordersToRaise', { count: preview.orders.length })}</p>}
                <ul>
                  {preview.warnings
                    .filter((warning) => warning.code !== 'photos-not-checked' && warning.code !== 'inspection-id-missing')
                    .map((warning) => (
                      <li key={warning.code}>{zh ? warning.zh : warning.message}</li>
                    ))}
                </ul>
              </div>
            )}
          </Section>
          {saveError === undefined ? null : <ErrorBox error={saveError instanceof ApiProblem ? saveError : new Error(String(saveError))} />}
          <button type="button" class="primary" disabled={saving || body === undefined} onClick={() => void save()}>
            {t('saveInspection')}
          </button>
        </>
      )}
    </div>
  );
}
