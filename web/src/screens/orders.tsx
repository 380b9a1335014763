/**
 * The crew firm's rectification orders (整改通知书) and work orders (维修工单): what, where,
 * due when; answered with photos through the outbox like a proof.
 */
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../api/client';
import { formatInstant, t } from '../i18n';
import { enqueue, jobsOf, jobsStore } from '../offline/outbox';
import { useStore } from '../store';
import { JobAnswer } from '../ui/answer';
import { ErrorBox, Loading, Section, useLoad } from '../ui/common';
import { GpsLine, useFix } from '../ui/gps';
import { PhotoPicker, type TakenPhoto } from '../ui/photos';
import { StatusBadge } from '../ui/status';

type Rectification = Schemas['NamedRectificationOrder'];
type WorkOrder = Schemas['NamedWorkOrder'];

async function activeContractIds(): Promise<string[]> {
  return must(await api.GET('/v1/contracts', { params: { query: { status: 'active' } } })).items.map((contract) => contract.contractId);
}

function Due({ at }: { at: string }) {
  const overdue = Date.parse(at) < Date.now();
  return (
    <span class={overdue ? 'due overdue' : 'due'}>
      {t('dueAt', { time: formatInstant(at) })}
      {overdue ? ` · ${t('overdue')}` : ''}
    </span>
  );
}

export function OrdersScreen() {
  const loaded = useLoad(async () => {
    const ids = await activeContractIds();
    const [rectification, work] = await Promise.all([
      Promise.all(ids.map(async (contractId) => must(await api.GET('/v1/rectification-orders', { params: { query: { contractId, limit: 200 } } })).items)),
      Promise.all(ids.map(async (contractId) => must(await api.GET('/v1/contracts/{contractId}/work-orders', { params: { path: { contractId }, query: { limit: 200 } } })).items)),
    ]);
    return {
      rectification: rectification.flat().filter((order) => order.status === 'open' || order.status === 'reopened' || order.status === 'answered'),
      work: work.flat().filter((order) => order.status === 'open' || order.status === 'rejected'),
    };
  }, []);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { rectification, work } = loaded.data;
  return (
    <div>
      <h1>{t('ordersTitle')}</h1>
      <Section title={t('rectificationOrders')}>
        {rectification.length === 0 ? <p>{t('noOrders')}</p> : null}
        <ul class="cards">
          {rectification.map((order) => (
            <li key={order.orderId}>
              <a class="card" href={`#/orders/rectification/${order.orderId}`}>
                <strong>{order.description}</strong>
                <span>
                  {order.segmentName ?? order.segmentId} · {order.street}
                </span>
                <span>
                  <Due at={order.dueAt} /> <StatusBadge status={order.status} />
                </span>
              </a>
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t('workOrders')}>
        {work.length === 0 ? <p>{t('noOrders')}</p> : null}
        <ul class="cards">
          {work.map((order) => (
            <li key={order.workOrderId}>
              <a class="card" href={`#/orders/work/${order.workOrderId}`}>
                <strong>
                  {order.rateItemNameZh} · {order.description}
                </strong>
                <span>
                  {order.segmentName ?? ''} {order.street ?? ''}
                </span>
                <span>
                  <Due at={order.deadline} /> <StatusBadge status={order.status} />
                </span>
              </a>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}

function AnswerForm({ onSubmit, extra, min = 1 }: { onSubmit: (photos: TakenPhoto[], gps: { lon: number; lat: number; accuracyM: number }, note: string) => Promise<void>; extra?: preact.ComponentChildren; min?: number }) {
  const [photos, setPhotos] = useState<TakenPhoto[]>([]);
  const [note, setNote] = useState('');
  const gps = useFix();
  const ready = photos.length >= min && gps.fix !== undefined;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (gps.fix === undefined) return;
        void onSubmit(photos, gps.fix, note.trim()).then(() => {
          setPhotos([]);
          setNote('');
        });
      }}
    >
      <PhotoPicker photos={photos} onChange={setPhotos} min={min} />
      <GpsLine {...gps} />
      {extra}
      <label>
        {t('note')}
        <textarea value={note} rows={2} maxLength={2000} onInput={(event) => setNote(event.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={!ready}>
        {t('answerOrder')}
      </button>
    </form>
  );
}

export function RectificationScreen({ orderId }: { orderId: string }) {
  const loaded = useLoad(async () => must(await api.GET('/v1/rectification-orders/{orderId}', { params: { path: { orderId } } })), [orderId]);
  const jobs = jobsOf(useStore(jobsStore), orderId);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  const order: Rectification | undefined = loaded.data;
  if (order === undefined) return <Loading />;
  const latest = jobs[0];
  const answerable = (order.status === 'open' || order.status === 'reopened') && (latest === undefined || latest.state === 'refused');
  return (
    <div>
      <p>
        <a class="button" href="#/orders">{t('back')}</a>
      </p>
      <h1>{order.description}</h1>
      <p>
        {order.segmentName ?? order.segmentId} · {order.street} · {order.contractTitle}
      </p>
      <p>
        <Due at={order.dueAt} /> <StatusBadge status={order.status} />
      </p>
      {latest === undefined ? null : <JobAnswer job={latest} />}
      {answerable ? (
        <AnswerForm
          onSubmit={async (photos, gps, note) => {
            await enqueue({
              kind: 'rectification-answer',
              subjectId: orderId,
              title: order.description,
              body: { capturedAt: photos.map((photo) => photo.takenAt).sort().at(-1)!, gps: { lon: gps.lon, lat: gps.lat }, ...(note === '' ? {} : { note }) },
              photos: photos.map((photo) => photo.file),
            });
          }}
        />
      ) : null}
    </div>
  );
}

export function WorkOrderScreen({ workOrderId }: { workOrderId: string }) {
  const loaded = useLoad(async () => must(await api.GET('/v1/work-orders/{workOrderId}', { params: { path: { workOrderId } } })), [workOrderId]);
  const jobs = jobsOf(useStore(jobsStore), workOrderId);
  const [quantity, setQuantity] = useState('');
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  const order: WorkOrder | undefined = loaded.data;
  if (order === undefined) return <Loading />;
  const latest = jobs[0];
  const answerable = (order.status === 'open' || order.status === 'rejected') && (latest === undefined || latest.state === 'refused');
  // Quantities are thousandths of the unit, parsed from the typed decimal without floating point.
  const milli = /^\d+(\.\d{1,3})?$/.test(quantity) ? Number(quantity.split('.')[0]) * 1000 + Number((quantity.split('.')[1] ?? '').padEnd(3, '0')) : undefined;
  return (
    <div>
      <p>
        <a class="button" href="#/orders">{t('back')}</a>
      </p>
      <h1>
        {order.rateItemNameZh} · {order.description}
      </h1>
      <p>
        {order.segmentName ?? ''} {order.street ?? ''} · {order.contractTitle}
      </p>
      <p>
        <Due at={order.deadline} /> <StatusBadge status={order.status} />
      </p>
      {latest === undefined ? null : <JobAnswer job={latest} />}
      {answerable ? (
        <AnswerForm
          extra={
            <label>
              {t('measuredQuantity', { unit: order.unit })}
              <input inputMode="decimal" value={quantity} onInput={(event) => setQuantity(event.currentTarget.value)} required />
            </label>
          }
          onSubmit={async (photos, gps, note) => {
            if (milli === undefined) return;
            await enqueue({
              kind: 'work-order-completion',
              subjectId: workOrderId,
              title: `${order.rateItemNameZh} · ${order.description}`,
              body: { capturedAt: photos.map((photo) => photo.takenAt).sort().at(-1)!, gps, measuredQuantityMilli: milli, ...(note === '' ? {} : { note }) },
              photos: photos.map((photo) => photo.file),
            });
          }}
        />
      ) : null}
    </div>
  );
}
