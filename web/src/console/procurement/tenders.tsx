/**
 * Tenders: the list, a new tender whose lots are drawn on the map (segments picked into the
 * lot being edited), and a tender's page — bids as recorded with their invalid reasons, the
 * close, the stored evaluation table of each lot (scores in hundredths as the API ranked them,
 * tie notes as written) and the award that drafts the winner's contract.
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import { api, must, newKey } from '../../api/client';
import { formatInstant } from '../../i18n';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { SegmentMap } from '../../ui/segment-map';
import { ActionButton, Money, PageTitle } from '../ui';
import { pt } from './messages';
import { byId, conflictsOf, points, SegmentNames, ConflictTable, day, loadContractors, loadSegments, localToInstant, nowLocal, parseYuan, pricingText, serviceLabel, today, type Conflict, type Segment } from './shared';

type Tender = Schemas['Tender'];
type Lot = Schemas['Lot'];
type ServiceType = Schemas['ServiceType'];

const serviceTypes: readonly ServiceType[] = ['cleaning', 'greening', 'municipal'];
/** One colour per lot on the maps (colour-blind-safe order), the lot being edited in orange. */
const lotColours = ['#1d4ed8', '#15803d', '#7c3aed', '#0e7490', '#a16207', '#be185d'];
const editingColour = '#c2410c';

export function tenderStatusLabel(status: string): string {
  return pt(`tStatus_${status}` as 'tStatus_open');
}

export function TendersScreen() {
  const list = useLoad(async () => must(await api.GET('/v1/tenders', { params: { query: { limit: 200, status: 'all' } } })), []);
  return (
    <>
      <PageTitle title={pt('tendersTitle')}>
        <a class="button primary" href="#/procurement/tenders/new">
          {pt('newTender')}
        </a>
      </PageTitle>
      {list.error !== undefined ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data === undefined ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p class="muted">{pt('empty')}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{pt('title')}</th>
              <th scope="col">{pt('serviceType')}</th>
              <th scope="col">{pt('evaluation')}</th>
              <th scope="col">{pt('closesAt')}</th>
              <th scope="col">{pt('lots')}</th>
              <th scope="col">{pt('status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((tender) => (
              <tr key={tender.tenderId}>
                <td>
                  <a href={`#/procurement/tenders/${tender.tenderId}`}>{tender.title}</a>
                </td>
                <td>{serviceLabel(tender.serviceType)}</td>
                <td>{pt(`eval_${tender.evaluation.method}`)}</td>
                <td>{formatInstant(tender.closesAt)}</td>
                <td>{tender.lots.map((lot) => `${lot.name}（${pt(`lStatus_${lot.status}`)}）`).join('；')}</td>
                <td>
                  <span class={`chip tender-${tender.status}`}>{tenderStatusLabel(tender.status)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// A new tender

interface LotDraft {
  name: string;
  kind: 'lump_sum' | 'lump_sum_per_m2';
  ceiling: string;
  segmentIds: string[];
}

function emptyLot(number: number): LotDraft {
  return { name: `第${number}标段`, kind: 'lump_sum', ceiling: '', segmentIds: [] };
}

export function NewTenderScreen() {
  const segments = useLoad(() => loadSegments('active'), []);
  const [title, setTitle] = useState('');
  const [serviceType, setServiceType] = useState<ServiceType>('cleaning');
  const [method, setMethod] = useState<'lowest_price' | 'weighted'>('weighted');
  const [weights, setWeights] = useState({ price: '30', technical: '60', credit: '10' });
  const [closesAt, setClosesAt] = useState(nowLocal(24 * 3600 * 1000).slice(0, 16));
  const [lots, setLots] = useState<LotDraft[]>([emptyLot(1)]);
  const [editing, setEditing] = useState(0);
  const [key] = useState(newKey);
  if (segments.error !== undefined) return <ErrorBox error={segments.error} onRetry={segments.reload} />;
  if (segments.data === undefined) return <Loading />;
  const all = segments.data;
  const lotOf = new Map<string, number>();
  lots.forEach((lot, index) => lot.segmentIds.forEach((id) => lotOf.set(id, index)));
  const streets = [...new Set(all.map((segment) => segment.street))].sort();

  function toggle(segmentId: string): void {
    setLots((current) =>
      current.map((lot, index) => {
        const has = lot.segmentIds.includes(segmentId);
        if (index === editing) return { ...lot, segmentIds: has ? lot.segmentIds.filter((id) => id !== segmentId) : [...lot.segmentIds, segmentId] };
        // A segment is in at most one lot: picking it into this lot takes it out of another.
        return has ? { ...lot, segmentIds: lot.segmentIds.filter((id) => id !== segmentId) } : lot;
      }),
    );
  }
  function update(index: number, change: Partial<LotDraft>): void {
    setLots((current) => current.map((lot, at) => (at === index ? { ...lot, ...change } : lot)));
  }
  const ceilings = lots.map((lot) => parseYuan(lot.ceiling, lot.kind === 'lump_sum' ? 2 : 5));
  const ready = title.trim() !== '' && closesAt !== '' && lots.every((lot, index) => lot.name.trim() !== '' && lot.segmentIds.length > 0 && ceilings[index] !== undefined && ceilings[index] > 0);
  const colourOf = (id: string): string | undefined => {
    const lot = lotOf.get(id);
    if (lot === undefined) return '#9ca3af';
    return lot === editing ? editingColour : lotColours[lot % lotColours.length];
  };
  return (
    <>
      <PageTitle title={pt('newTender')}>
        <a href="#/procurement/tenders">{pt('back')}</a>
      </PageTitle>
      <div class="form-grid">
        <label>
          {`${pt('title')}（${pt('required')}）`}
          <input value={title} required onInput={(event) => setTitle(event.currentTarget.value)} />
        </label>
        <label>
          {pt('serviceType')}
          <select value={serviceType} onChange={(event) => setServiceType(event.currentTarget.value as ServiceType)}>
            {serviceTypes.map((type) => (
              <option key={type} value={type}>
                {serviceLabel(type)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {pt('closesAt')}
          <input type="datetime-local" step={1} value={closesAt} aria-describedby="closes-hint" onInput={(event) => setClosesAt(event.currentTarget.value)} />
          <span id="closes-hint" class="muted">
            {pt('closesHint')}
          </span>
        </label>
        <label>
          {pt('evaluation')}
          <select value={method} onChange={(event) => setMethod(event.currentTarget.value as 'lowest_price' | 'weighted')}>
            <option value="weighted">{pt('eval_weighted')}</option>
            <option value="lowest_price">{pt('eval_lowest_price')}</option>
          </select>
        </label>
        {method === 'weighted' ? (
          <>
            <label>
              {pt('priceWeight')}
              <input inputMode="numeric" value={weights.price} onInput={(event) => setWeights({ ...weights, price: event.currentTarget.value })} />
            </label>
            <label>
              {pt('technicalWeight')}
              <input inputMode="numeric" value={weights.technical} onInput={(event) => setWeights({ ...weights, technical: event.currentTarget.value })} />
            </label>
            <label>
              {pt('creditWeight')}
              <input inputMode="numeric" value={weights.credit} onInput={(event) => setWeights({ ...weights, credit: event.currentTarget.value })} />
            </label>
          </>
        ) : null}
      </div>
      <h2>{pt('lots')}</h2>
      <div class="grid-2 proc-split">
        <div class="proc-scroll">
          {lots.map((lot, index) => (
            <fieldset key={index} class={index === editing ? 'lot editing' : 'lot'}>
              <legend>
                <span class="swatch" style={{ background: index === editing ? editingColour : lotColours[index % lotColours.length] }} aria-hidden="true" />
                {lot.name}
              </legend>
              <div class="form-grid">
                <label>
                  {pt('lotName')}
                  <input value={lot.name} onInput={(event) => update(index, { name: event.currentTarget.value })} />
                </label>
                <label>
                  {pt('pricing')}
                  <select value={lot.kind} onChange={(event) => update(index, { kind: event.currentTarget.value as LotDraft['kind'] })}>
                    <option value="lump_sum">{pt('pricing_lump_sum')}</option>
                    <option value="lump_sum_per_m2">{pt('pricing_lump_sum_per_m2')}</option>
                  </select>
                </label>
                <label>
                  {lot.kind === 'lump_sum' ? pt('ceilingMonthly') : pt('ceilingPerM2')}
                  <input
                    inputMode="decimal"
                    value={lot.ceiling}
                    aria-invalid={lot.ceiling !== '' && ceilings[index] === undefined ? 'true' : undefined}
                    onInput={(event) => update(index, { ceiling: event.currentTarget.value })}
                  />
                  {lot.ceiling !== '' && ceilings[index] === undefined ? <span class="field-error">{lot.kind === 'lump_sum' ? pt('notYuan') : pt('notPerM2')}</span> : null}
                </label>
              </div>
              {index === editing ? (
                <>
                  <p class="muted">{pt('editingLot', { lot: lot.name })}</p>
                  <SegmentChecklist streets={streets} segments={all} lot={lot} lotOf={lotOf} lots={lots} index={index} onToggle={toggle} />
                </>
              ) : (
                <div class="page-actions">
                  <span class="muted">{lot.segmentIds.map((id) => all.find((segment) => segment.segmentId === id)?.name ?? id).join('、') || pt('pickFirst')}</span>
                  <button type="button" class="secondary" onClick={() => setEditing(index)}>
                    {pt('pickLot')}
                  </button>
                </div>
              )}
              {lots.length > 1 ? (
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    setLots(lots.filter((_, at) => at !== index));
                    setEditing(0);
                  }}
                >
                  {pt('removeLot')}
                </button>
              ) : null}
            </fieldset>
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setLots([...lots, emptyLot(lots.length + 1)]);
              setEditing(lots.length);
            }}
          >
            {pt('addLot')}
          </button>
        </div>
        <SegmentMap
          segments={all}
          label={pt('lotMap')}
          onPick={(id) => toggle(id)}
          colorOf={colourOf}
          tooltipOf={(id) => {
            const segment = all.find((candidate) => candidate.segmentId === id);
            const lot = lotOf.get(id);
            return `${segment?.name ?? id}${lot === undefined ? '' : ` · ${lots[lot]?.name ?? ''}`}`;
          }}
          drawKey={`${editing}|${lots.map((lot) => lot.segmentIds.join(',')).join('|')}`}
        />
      </div>
      <ActionButton
        label={pt('createTender')}
        disabled={!ready}
        run={async () =>
          must(
            await api.POST('/v1/tenders', {
              params: { header: { 'idempotency-key': key } },
              body: {
                title: title.trim(),
                serviceType,
                evaluation: method === 'lowest_price' ? { method } : { method, priceWeight: Number(weights.price), technicalWeight: Number(weights.technical), creditWeight: Number(weights.credit) },
                closesAt: localToInstant(closesAt),
                lots: lots.map((lot, index) => ({
                  name: lot.name.trim(),
                  segmentIds: lot.segmentIds,
                  pricing: lot.kind === 'lump_sum' ? { kind: 'lump_sum' as const, ceilingMonthlyFen: ceilings[index]! } : { kind: 'lump_sum_per_m2' as const, ceilingMilliFenPerM2Year: ceilings[index]! },
                })),
              },
            }),
          )
        }
        onDone={(tender) => navigate(`/procurement/tenders/${(tender as Tender).tenderId}`)}
      />
    </>
  );
}

function SegmentChecklist({ streets, segments, lot, lotOf, lots, index, onToggle }: { streets: readonly string[]; segments: readonly Segment[]; lot: LotDraft; lotOf: ReadonlyMap<string, number>; lots: readonly LotDraft[]; index: number; onToggle: (id: string) => void }) {
  return (
    <div class="checklist">
      {streets.map((street) => (
        <fieldset key={street}>
          <legend>{street}</legend>
          {segments
            .filter((segment) => segment.street === street)
            .map((segment) => {
              const other = lotOf.get(segment.segmentId);
              return (
                <label key={segment.segmentId} class="check">
                  <input type="checkbox" checked={lot.segmentIds.includes(segment.segmentId)} onChange={() => onToggle(segment.segmentId)} />
                  {segment.name}
                  {other !== undefined && other !== index ? <span class="muted">（{lots[other]?.name}）</span> : null}
                </label>
              );
            })}
        </fieldset>
      ))}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// One tender

export function TenderScreen({ tenderId }: { tenderId: string }) {
  const loaded = useLoad(async () => {
    const [tender, bids, contractors, segments] = await Promise.all([
      api.GET('/v1/tenders/{tenderId}', { params: { path: { tenderId } } }).then(must),
      api.GET('/v1/tenders/{tenderId}/bids', { params: { path: { tenderId } } }).then(must),
      loadContractors(),
      loadSegments('all'),
    ]);
    return { tender, bids: bids.items, contractors, segments };
  }, [tenderId]);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { tender, bids, contractors, segments } = loaded.data;
  const segmentById = byId(segments, 'segmentId');
  const contractorName = (id: string): string => contractors.find((contractor) => contractor.contractorId === id)?.name ?? id;
  const lotIndex = new Map<string, number>();
  tender.lots.forEach((lot, index) => lot.segmentIds.forEach((id) => lotIndex.set(id, index)));
  const mapped = [...lotIndex.keys()].flatMap((id) => {
    const segment = segmentById.get(id);
    return segment === undefined ? [] : [segment];
  });
  return (
    <>
      <PageTitle title={tender.title}>
        <span class={`chip tender-${tender.status}`}>{tenderStatusLabel(tender.status)}</span>
        {tender.status === 'open' ? (
          <ActionButton
            label={pt('closeTender')}
            run={async () => must(await api.POST('/v1/tenders/{tenderId}/close', { params: { path: { tenderId }, header: { 'if-match': `"${tender.version}"` } } }))}
            onDone={loaded.reload}
          />
        ) : null}
        <a href="#/procurement/tenders">{pt('back')}</a>
      </PageTitle>
      <div class="grid-2">
        <dl class="facts">
          <dt>{pt('serviceType')}</dt>
          <dd>{serviceLabel(tender.serviceType)}</dd>
          <dt>{pt('evaluation')}</dt>
          <dd>
            {pt(`eval_${tender.evaluation.method}`)}
            {tender.evaluation.method === 'weighted' ? `（${pt('priceWeight')} ${tender.evaluation.priceWeight} · ${pt('technicalWeight')} ${tender.evaluation.technicalWeight} · ${pt('creditWeight')} ${tender.evaluation.creditWeight}）` : null}
          </dd>
          <dt>{pt('closesAt')}</dt>
          <dd>{formatInstant(tender.closesAt)}</dd>
          {tender.closedAt === undefined ? null : (
            <>
              <dt>{pt('tStatus_closed')}</dt>
              <dd>
                {formatInstant(tender.closedAt)} · {tender.closedBy}
              </dd>
            </>
          )}
          <dt>{pt('lots')}</dt>
          <dd>
            <ul class="plain">
              {tender.lots.map((lot, index) => (
                <li key={lot.lotId}>
                  <span class="swatch" style={{ background: lotColours[index % lotColours.length] }} aria-hidden="true" />
                  <a href={`#lot-${lot.lotId}`}>{lot.name}</a>
                </li>
              ))}
            </ul>
          </dd>
        </dl>
        <SegmentMap
          segments={mapped}
          label={pt('tenderMap')}
          colorOf={(id) => lotColours[(lotIndex.get(id) ?? 0) % lotColours.length]}
          tooltipOf={(id) => `${segmentById.get(id)?.name ?? id} · ${tender.lots[lotIndex.get(id) ?? 0]?.name ?? ''}`}
        />
      </div>
      {tender.lots.map((lot) => (
        <LotSection key={lot.lotId} tender={tender} lot={lot} bids={bids.filter((bid) => bid.lotId === lot.lotId)} contractors={contractors} contractorName={contractorName} segments={segmentById} onChange={loaded.reload} />
      ))}
    </>
  );
}

function LotSection({
  tender,
  lot,
  bids,
  contractors,
  contractorName,
  segments,
  onChange,
}: {
  tender: Tender;
  lot: Lot;
  bids: readonly Schemas['RecordedBid'][];
  contractors: readonly Schemas['Contractor'][];
  contractorName: (id: string) => string;
  segments: ReadonlyMap<string, Segment>;
  onChange: () => void;
}) {
  const table = lot.evaluationTable;
  return (
    <section class="proc-section lot-section" id={`lot-${lot.lotId}`} aria-labelledby={`lot-title-${lot.lotId}`}>
      <h2 id={`lot-title-${lot.lotId}`}>
        {lot.name} <span class={`chip lot-${lot.status}`}>{pt(`lStatus_${lot.status}`)}</span>
      </h2>
      <dl class="facts">
        <dt>{pt('serviceType')}</dt>
        <dd>{serviceLabel(lot.serviceType)}</dd>
        <dt>{pt('ceiling')}</dt>
        <dd>{pricingText(lot.pricing)}</dd>
        <dt>{pt('lotArea')}</dt>
        <dd>{lot.areaM2}</dd>
        <dt>{pt('segments')}</dt>
        <dd>
          <SegmentNames ids={lot.segmentIds} name={(id) => segments.get(id)?.name ?? id} />
        </dd>
      </dl>
      <BidsTable bids={bids} contractorName={contractorName} />
      {tender.status === 'open' ? <BidForm tender={tender} lot={lot} contractors={contractors} onRecorded={onChange} /> : null}
      {(tender.status === 'closed' || tender.status === 'evaluated') && lot.status !== 'awarded' ? (
        <div class="page-actions">
          <ActionButton
            label={lot.status === 'open' ? pt('evaluate') : pt('reevaluate')}
            kind={lot.status === 'open' ? 'primary' : 'secondary'}
            run={async () => must(await api.POST('/v1/tenders/{tenderId}/lots/{lotId}/evaluation', { params: { path: { tenderId: tender.tenderId, lotId: lot.lotId }, header: { 'if-match': `"${tender.version}"` } } }))}
            onDone={onChange}
          />
        </div>
      ) : null}
      {table === undefined ? null : <EvaluationTableView table={table} lot={lot} contractorName={contractorName} />}
      {lot.status === 'evaluated' && table?.winnerBidId !== undefined ? <AwardForm tender={tender} lot={lot} winner={contractorName(table.rows.find((row) => row.bidId === table.winnerBidId)?.contractorId ?? '')} segments={segments} onAwarded={onChange} /> : null}
      {lot.status === 'awarded' ? <AwardedNote tender={tender} lot={lot} contractorName={contractorName} /> : null}
    </section>
  );
}

function AwardedNote({ tender, lot, contractorName }: { tender: Tender; lot: Lot; contractorName: (id: string) => string }) {
  const contract = useLoad(async () => {
    const page = must(await api.GET('/v1/contracts', { params: { query: { limit: 200, ...(lot.awardedContractorId === undefined ? {} : { contractorId: lot.awardedContractorId }) } } }));
    return page.items.find((candidate) => candidate.origin.kind === 'tender' && candidate.origin.tenderId === tender.tenderId && candidate.origin.lotId === lot.lotId);
  }, [tender.tenderId, lot.lotId]);
  return (
    <p class="box ok" data-testid={`awarded-${lot.lotId}`}>
      {pt('awarded', { name: contractorName(lot.awardedContractorId ?? '') })}{' '}
      {contract.data === undefined ? '…' : <a href={`#/procurement/contracts/${contract.data.contractId}`}>{contract.data.title}</a>}
      {lot.awardedAt === undefined ? null : <span class="muted"> · {formatInstant(lot.awardedAt)} · {lot.awardedBy}</span>}
    </p>
  );
}

function BidsTable({ bids, contractorName }: { bids: readonly Schemas['RecordedBid'][]; contractorName: (id: string) => string }) {
  return (
    <table class="data">
      <caption>{pt('bids')}</caption>
      <thead>
        <tr>
          <th scope="col">{pt('contractor')}</th>
          <th scope="col">{pt('submittedAt')}</th>
          <th scope="col" class="num">{pt('price')}</th>
          <th scope="col" class="num">{pt('technicalScore')}</th>
          <th scope="col">{pt('valid')}</th>
          <th scope="col">{pt('invalidReasons')}</th>
        </tr>
      </thead>
      <tbody>
        {bids.length === 0 ? (
          <tr>
            <td colSpan={6} class="muted">
              {pt('empty')}
            </td>
          </tr>
        ) : (
          bids.map((bid) => (
            <tr key={bid.bidId} class={bid.valid ? undefined : 'invalid'}>
              <td>{contractorName(bid.contractorId)}</td>
              <td>{formatInstant(bid.submittedAt)}</td>
              <td class="num">{pricingText(bid.price)}</td>
              <td class="num">{points(bid.technicalScoreX100)}</td>
              <td>{bid.valid ? pt('valid') : <strong class="field-error">{pt('invalid')}</strong>}</td>
              <td>
                {bid.reasons.length === 0 ? '—' : (
                  <ul class="plain">
                    {bid.reasons.map((reason) => (
                      <li key={`${reason.code}-${reason.itemCode ?? ''}`}>{reason.message}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

function BidForm({ tender, lot, contractors, onRecorded }: { tender: Tender; lot: Lot; contractors: readonly Schemas['Contractor'][]; onRecorded: () => void }) {
  const [contractorId, setContractorId] = useState(contractors[0]?.contractorId ?? '');
  const [submittedAt, setSubmittedAt] = useState(nowLocal());
  const [price, setPrice] = useState('');
  const [technical, setTechnical] = useState('');
  const [key, setKey] = useState(newKey);
  if (lot.pricing.kind === 'unit_rate') return null;
  const perM2 = lot.pricing.kind === 'lump_sum_per_m2';
  const amount = parseYuan(price, perM2 ? 5 : 2);
  const technicalX100 = technical === '' ? undefined : parseYuan(technical, 2);
  const weighted = tender.evaluation.method === 'weighted';
  const ready = contractorId !== '' && amount !== undefined && amount > 0 && (!weighted || technicalX100 !== undefined);
  return (
    <details class="bid-form">
      <summary>{pt('recordBid')}</summary>
      <div class="form-grid">
        <label>
          {pt('contractor')}
          <select value={contractorId} onChange={(event) => setContractorId(event.currentTarget.value)}>
            {contractors.map((contractor) => (
              <option key={contractor.contractorId} value={contractor.contractorId}>
                {contractor.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {pt('submittedAt')}
          <input type="datetime-local" step={1} value={submittedAt} onInput={(event) => setSubmittedAt(event.currentTarget.value)} />
        </label>
        <label>
          {perM2 ? pt('bidPricePerM2') : pt('bidPrice')}
          <input inputMode="decimal" value={price} aria-invalid={price !== '' && amount === undefined ? 'true' : undefined} onInput={(event) => setPrice(event.currentTarget.value)} />
          {price !== '' && amount === undefined ? <span class="field-error">{perM2 ? pt('notPerM2') : pt('notYuan')}</span> : null}
        </label>
        {weighted ? (
          <label>
            {pt('technicalScore')}
            <input inputMode="decimal" value={technical} placeholder="88.50" onInput={(event) => setTechnical(event.currentTarget.value)} />
          </label>
        ) : null}
      </div>
      <ActionButton
        label={pt('recordBid')}
        disabled={!ready}
        run={async () =>
          must(
            await api.POST('/v1/tenders/{tenderId}/bids', {
              params: { path: { tenderId: tender.tenderId }, header: { 'idempotency-key': key } },
              body: {
                lotId: lot.lotId,
                contractorId,
                submittedAt: localToInstant(submittedAt),
                price: perM2 ? { kind: 'lump_sum_per_m2', milliFenPerM2Year: amount! } : { kind: 'lump_sum', monthlyFen: amount! },
                ...(technicalX100 === undefined ? {} : { technicalScoreX100: technicalX100 }),
              },
            }),
          )
        }
        onDone={() => {
          setKey(newKey());
          setPrice('');
          setTechnical('');
          onRecorded();
        }}
      />
    </details>
  );
}

function EvaluationTableView({ table, lot, contractorName }: { table: Schemas['EvaluationTable']; lot: Lot; contractorName: (id: string) => string }) {
  const weighted = table.method === 'weighted';
  return (
    <div class="evaluation" data-testid={`evaluation-${lot.lotId}`}>
      <table class="data">
        <caption>
          {pt('evaluationTable', { lot: lot.name })} · {pt('bidCounts', { bids: table.bidCount, valid: table.validBidCount })}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="num">{pt('rank')}</th>
            <th scope="col">{pt('contractor')}</th>
            <th scope="col" class="num">{pt('comparedPrice')}</th>
            <th scope="col" class="num">{pt('priceScore')}</th>
            {weighted ? (
              <>
                <th scope="col" class="num">{pt('technicalScore')}</th>
                <th scope="col" class="num">{pt('technicalPart')}</th>
                <th scope="col" class="num">{pt('creditScore')}</th>
                <th scope="col" class="num">{pt('creditPart')}</th>
              </>
            ) : null}
            <th scope="col" class="num">{pt('total')}</th>
            <th scope="col">{pt('tieBreak')}</th>
            <th scope="col">{pt('invalidReasons')}</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.bidId} class={row.bidId === table.winnerBidId ? 'winner' : row.valid ? undefined : 'invalid'}>
              <td class="num">{row.rank ?? '—'}</td>
              <td>
                {row.contractorName ?? contractorName(row.contractorId)}
                {row.bidId === table.winnerBidId ? <strong class="chip winner-chip"> {pt('winner')}</strong> : null}
              </td>
              <td class="num">{row.comparedPriceFen === undefined ? '—' : <Money fen={row.comparedPriceFen} />}</td>
              <td class="num">{x100(row.priceScoreX100)}</td>
              {weighted ? (
                <>
                  <td class="num">{x100(row.technicalScoreX100)}</td>
                  <td class="num">{x100(row.technicalPartX100)}</td>
                  <td class="num" title={row.credit?.formula}>
                    {x100(row.credit?.valueX100)}
                  </td>
                  <td class="num">{x100(row.creditPartX100)}</td>
                </>
              ) : null}
              <td class="num">
                <strong>{x100(row.totalX100)}</strong>
              </td>
              <td>{row.tieBreak ?? '—'}</td>
              <td>{row.problems.length === 0 ? '—' : row.problems.map((problem) => problem.message).join('；')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl class="facts rules">
        <dt>{pt('comparedPriceRule')}</dt>
        <dd>{table.comparedPriceRule}</dd>
        <dt>{pt('scoreRule')}</dt>
        <dd>{table.scoreRule}</dd>
        <dt>{pt('tieBreakRule')}</dt>
        <dd>{table.tieBreakRule}</dd>
        {table.warnings.length === 0 ? null : (
          <>
            <dt>{pt('warnings')}</dt>
            <dd>
              <ul class="plain">
                {table.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function x100(value: number | undefined): string {
  return points(value);
}

function nextYearEnd(date: string): string {
  return `${Number(date.slice(0, 4)) + 1}-12-31`;
}

function AwardForm({ tender, lot, winner, segments, onAwarded }: { tender: Tender; lot: Lot; winner: string; segments: ReadonlyMap<string, Segment>; onAwarded: () => void }) {
  const choices = useLoad(async () => {
    const [templates, standards] = await Promise.all([api.GET('/v1/rulebook-templates').then(must), api.GET('/v1/standards', { params: { query: { limit: 200 } } }).then(must)]);
    return { templates: templates.items.filter((template) => template.serviceType === lot.serviceType), standards: standards.items.filter((standard) => standard.serviceType === lot.serviceType) };
  }, [lot.serviceType]);
  const start = today();
  const [fields, setFields] = useState({ title: `${tender.title}（${lot.name}）`, startDate: start, endDate: nextYearEnd(start), bond: '0', template: '', standard: '' });
  const [key] = useState(newKey);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const bondFen = parseYuan(fields.bond);
  const template = fields.template !== '' ? fields.template : (choices.data?.templates[0]?.templateId ?? '');
  const standard = fields.standard;
  const ready = fields.title.trim() !== '' && fields.startDate !== '' && fields.endDate !== '' && bondFen !== undefined && template !== '';
  return (
    <section class="award" aria-labelledby={`award-${lot.lotId}`}>
      <h3 id={`award-${lot.lotId}`}>{pt('awardTitle', { lot: lot.name })} · {winner}</h3>
      {choices.error !== undefined ? <ErrorBox error={choices.error} onRetry={choices.reload} /> : null}
      <div class="form-grid">
        <label>
          {pt('contractTitle')}
          <input value={fields.title} onInput={(event) => setFields({ ...fields, title: event.currentTarget.value })} />
        </label>
        <label>
          {pt('startDate')}
          <input type="date" value={fields.startDate} onInput={(event) => setFields({ ...fields, startDate: event.currentTarget.value })} />
        </label>
        <label>
          {pt('endDate')}
          <input type="date" value={fields.endDate} onInput={(event) => setFields({ ...fields, endDate: event.currentTarget.value })} />
        </label>
        <label>
          {pt('bond')}
          <input inputMode="decimal" value={fields.bond} aria-invalid={bondFen === undefined ? 'true' : undefined} onInput={(event) => setFields({ ...fields, bond: event.currentTarget.value })} />
          {bondFen === undefined ? <span class="field-error">{pt('notYuan')}</span> : null}
        </label>
        <label>
          {pt('rulebookTemplate')}
          <select value={template} onChange={(event) => setFields({ ...fields, template: event.currentTarget.value })}>
            {(choices.data?.templates ?? []).map((candidate) => (
              <option key={candidate.templateId} value={candidate.templateId}>
                {candidate.titleZh}
              </option>
            ))}
          </select>
        </label>
        <label>
          {pt('standard')}
          <select value={standard} onChange={(event) => setFields({ ...fields, standard: event.currentTarget.value })}>
            <option value="">{pt('noStandard')}</option>
            {(choices.data?.standards ?? []).map((candidate) => (
              <option key={`${candidate.standardId}@${candidate.version}`} value={`${candidate.standardId}@${candidate.version}`}>
                {candidate.name} v{candidate.version}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ActionButton
        label={pt('award')}
        disabled={!ready}
        run={async () => {
          setConflicts([]);
          const [standardId, version] = standard.split('@');
          try {
            return must(
              await api.POST('/v1/tenders/{tenderId}/lots/{lotId}/award', {
                params: { path: { tenderId: tender.tenderId, lotId: lot.lotId }, header: { 'if-match': `"${tender.version}"`, 'idempotency-key': key } },
                body: {
                  title: fields.title.trim(),
                  startDate: fields.startDate,
                  endDate: fields.endDate,
                  performanceBondFen: bondFen!,
                  rulebookTemplateId: template,
                  ...(standardId === undefined || standardId === '' ? {} : { standardRef: { standardId, version: Number(version) } }),
                },
              }),
            );
          } catch (caught) {
            setConflicts(conflictsOf(caught));
            throw caught;
          }
        }}
        onDone={onAwarded}
      />
      {conflicts.length === 0 ? null : <ConflictMap conflicts={conflicts} scope={lot.segmentIds} segments={segments} />}
    </section>
  );
}

/** A refused scope on the map: its segments in blue, the ones another contract holds in red. */
export function ConflictMap({ conflicts, scope, segments }: { conflicts: readonly Conflict[]; scope: readonly string[]; segments: ReadonlyMap<string, Segment> }) {
  const held = new Map(conflicts.map((conflict) => [conflict.segmentId, conflict]));
  const drawn = [...new Set([...scope, ...held.keys()])].flatMap((id) => {
    const segment = segments.get(id);
    return segment === undefined ? [] : [segment];
  });
  return (
    <div class="grid-2" data-testid="conflicts">
      <ConflictTable conflicts={conflicts} segments={segments} />
      <SegmentMap
        segments={drawn}
        label={pt('conflictsTitle')}
        colorOf={(id) => (held.has(id) ? '#b91c1c' : '#1d4ed8')}
        tooltipOf={(id) => {
          const conflict = held.get(id);
          const name = segments.get(id)?.name ?? id;
          return conflict === undefined ? name : pt('conflictTooltip', { name, contract: conflict.otherContractId, from: day(conflict.overlapFrom), to: day(conflict.overlapTo) });
        }}
        drawKey={conflicts.map((conflict) => conflict.segmentId).join(',')}
      />
    </div>
  );
}
