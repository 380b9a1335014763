/**
 * Contracts: the list, and one contract — its scope on the map as of any date (the API's
 * terms in force then), its lifecycle, its terms versions with what each amendment changed,
 * and an amendment whose scope is drawn on the map. A refusal for overlapping another
 * contract's scope colours the segments it names.
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../api/client';
import { api, must, newKey } from '../../api/client';
import { formatInstant } from '../../i18n';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { SegmentMap } from '../../ui/segment-map';
import { ActionButton, Money, PageTitle, queryOf } from '../ui';
import { pt } from './messages';
import { byId, conflictsOf, SegmentNames, ConflictTable, day, loadContractors, loadSegments, parseYuan, pricingText, serviceLabel, today, type Conflict, type Segment } from './shared';

type Contract = Schemas['Contract'];

export function contractStatusLabel(status: string): string {
  return pt(`kStatus_${status}` as 'kStatus_draft');
}

export function ContractsScreen({ path }: { path: string }) {
  const query = queryOf(path);
  const status = query.get('status') ?? '';
  const loaded = useLoad(async () => {
    const [page, contractors] = await Promise.all([
      api.GET('/v1/contracts', { params: { query: { limit: 200, ...(status === '' ? {} : { status: status as Schemas['ContractStatus'] }) } } }).then(must),
      loadContractors(),
    ]);
    return { contracts: page.items, contractors: byId(contractors, 'contractorId') };
  }, [status]);
  return (
    <>
      <PageTitle title={pt('contractsTitle')} />
      <form class="filters" aria-label={pt('filter')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {pt('status')}
          <select value={status} onChange={(event) => navigate(`/procurement/contracts${event.currentTarget.value === '' ? '' : `?status=${event.currentTarget.value}`}`)}>
            <option value="">{pt('all')}</option>
            {(['draft', 'active', 'suspended', 'terminated', 'expired'] as const).map((value) => (
              <option key={value} value={value}>
                {contractStatusLabel(value)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {loaded.error !== undefined ? <ErrorBox error={loaded.error} onRetry={loaded.reload} /> : null}
      {loaded.data === undefined ? (
        <Loading />
      ) : loaded.data.contracts.length === 0 ? (
        <p class="muted">{pt('empty')}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{pt('title')}</th>
              <th scope="col">{pt('contractor')}</th>
              <th scope="col">{pt('serviceType')}</th>
              <th scope="col">{pt('origin')}</th>
              <th scope="col">{pt('period')}</th>
              <th scope="col">{pt('status')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.contracts.map((contract) => (
              <tr key={contract.contractId}>
                <td>
                  <a href={`#/procurement/contracts/${contract.contractId}`}>{contract.title}</a>
                </td>
                <td>{loaded.data!.contractors.get(contract.contractorId)?.name ?? contract.contractorId}</td>
                <td>{serviceLabel(contract.serviceType)}</td>
                <td>{pt(`origin_${contract.origin.kind}`)}</td>
                <td>
                  {day(contract.startDate)} – {day(contract.endDate)}
                </td>
                <td>
                  <span class={`chip contract-${contract.status}`}>{contractStatusLabel(contract.status)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ContractScreen({ contractId, path }: { contractId: string; path: string }) {
  const asOf = queryOf(path).get('asOf') ?? today();
  const base = useLoad(async () => {
    const [segments, contractors, contracts] = await Promise.all([loadSegments('all'), loadContractors(), api.GET('/v1/contracts', { params: { query: { limit: 200 } } }).then(must)]);
    return { segments: byId(segments, 'segmentId'), contractors: byId(contractors, 'contractorId'), titles: new Map(contracts.items.map((contract) => [contract.contractId, contract.title])) };
  }, []);
  const loaded = useLoad(async () => {
    const [contract, versions] = await Promise.all([
      api.GET('/v1/contracts/{contractId}', { params: { path: { contractId }, query: { asOf } } }).then(must),
      api.GET('/v1/contracts/{contractId}/versions', { params: { path: { contractId } } }).then(must),
    ]);
    return { contract, versions: versions.items };
  }, [contractId, asOf]);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (base.error !== undefined) return <ErrorBox error={base.error} onRetry={base.reload} />;
  if (loaded.data === undefined || base.data === undefined) return <Loading />;
  const { contract, versions } = loaded.data;
  const { segments, contractors, titles } = base.data;
  const terms = contract.terms;
  const scope = terms?.scope ?? [];
  const held = new Map(conflicts.map((conflict) => [conflict.segmentId, conflict]));
  const drawn = [...new Set([...scope, ...held.keys()])].flatMap((id) => {
    const segment = segments.get(id);
    return segment === undefined ? [] : [segment];
  });
  const name = (id: string): string => segments.get(id)?.name ?? id;
  const refusing = async <T,>(call: () => Promise<T>): Promise<T> => {
    setConflicts([]);
    try {
      return await call();
    } catch (caught) {
      setConflicts(conflictsOf(caught));
      throw caught;
    }
  };
  const headers = { 'if-match': `"${contract.version}"`, 'idempotency-key': newKey() };
  return (
    <>
      <PageTitle title={contract.title}>
        <span class={`chip contract-${contract.status}`}>{contractStatusLabel(contract.status)}</span>
        <a href="#/procurement/contracts">{pt('back')}</a>
      </PageTitle>
      <div class="grid-2">
        <div>
          <dl class="facts">
            <dt>{pt('contractor')}</dt>
            <dd>
              <a href={`#/procurement/contractors/${contract.contractorId}`}>{contractors.get(contract.contractorId)?.name ?? contract.contractorId}</a>
            </dd>
            <dt>{pt('serviceType')}</dt>
            <dd>{serviceLabel(contract.serviceType)}</dd>
            <dt>{pt('period')}</dt>
            <dd>
              {day(contract.startDate)} – {day(contract.endDate)}
              {contract.endedOn === undefined ? null : `（${day(contract.endedOn)}）`}
            </dd>
            <dt>{pt('origin')}</dt>
            <dd>
              {contract.origin.kind === 'tender' ? <a href={`#/procurement/tenders/${contract.origin.tenderId}`}>{pt('origin_tender')}</a> : pt('origin_direct')}
            </dd>
            <dt>{pt('bondFen')}</dt>
            <dd>
              <Money fen={contract.performanceBondFen} />
            </dd>
          </dl>
          <form class="filters" aria-label={pt('asOf')} onSubmit={(event) => event.preventDefault()}>
            <label>
              {pt('asOf')}
              <input type="date" value={asOf} onChange={(event) => event.currentTarget.value !== '' && navigate(`/procurement/contracts/${contractId}?asOf=${event.currentTarget.value}`)} />
            </label>
          </form>
          <h2>{pt('termsOn', { date: day(contract.asOf) })}</h2>
          {terms === null ? (
            <p class="box warn">{pt('noTerms')}</p>
          ) : (
            <dl class="facts" data-testid="terms">
              <dt>{pt('termsVersion')}</dt>
              <dd>{terms.termsVersion}</dd>
              <dt>{pt('effectiveFrom')}</dt>
              <dd>{day(terms.effectiveFrom)}</dd>
              <dt>{pt('pricing')}</dt>
              <dd>{pricingText(terms.pricing)}</dd>
              <dt>{pt('standard')}</dt>
              <dd>{terms.standardRef === undefined ? '—' : `${terms.standardRef.standardId} v${terms.standardRef.version}`}</dd>
              <dt>{pt('rulebook')}</dt>
              <dd>{terms.rulebook.name ?? '—'}</dd>
              {terms.amendment === undefined ? null : (
                <>
                  <dt>{pt('reason')}</dt>
                  <dd>{terms.amendment.reason}</dd>
                </>
              )}
              <dt>{pt('segments')}</dt>
              <dd>
                <SegmentNames ids={scope} name={name} />
              </dd>
            </dl>
          )}
        </div>
        <div>
          <SegmentMap
            segments={drawn}
            label={pt('scopeMap')}
            colorOf={(id) => (held.has(id) ? '#b91c1c' : undefined)}
            tooltipOf={(id) => {
              const conflict = held.get(id);
              return conflict === undefined ? name(id) : pt('conflictTooltip', { name: name(id), contract: titles.get(conflict.otherContractId) ?? conflict.otherContractId, from: day(conflict.overlapFrom), to: day(conflict.overlapTo) });
            }}
            drawKey={`${asOf}|${conflicts.map((conflict) => conflict.segmentId).join(',')}`}
          />
          <p class="muted">{pt('scopeLegend')}</p>
        </div>
      </div>
      <ConflictTable conflicts={conflicts} segments={segments} contractTitle={(id) => titles.get(id)} />
      <Lifecycle contract={contract} headers={headers} refusing={refusing} onDone={loaded.reload} />
      <VersionsTable versions={versions} name={name} />
      {contract.status === 'terminated' || contract.status === 'expired' ? null : (
        <AmendForm contract={contract} scope={terms?.scope ?? contract.versions[contract.versions.length - 1]?.scope ?? []} segments={segments} refusing={refusing} onDone={loaded.reload} />
      )}
    </>
  );
}

function Lifecycle({ contract, headers, refusing, onDone }: { contract: Schemas['ContractAsOf']; headers: { 'if-match': string; 'idempotency-key': string }; refusing: <T>(call: () => Promise<T>) => Promise<T>; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const path = { contractId: contract.contractId };
  const body = reason.trim() === '' ? {} : { reason: reason.trim() };
  return (
    <section class="proc-section" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">{pt('lifecycle')}</h2>
      <div class="filters">
        {contract.status === 'draft' ? (
          <ActionButton label={pt('activate')} run={() => refusing(async () => must(await api.POST('/v1/contracts/{contractId}/activate', { params: { path, header: headers }, body })))} onDone={onDone} />
        ) : null}
        {contract.status === 'active' || contract.status === 'suspended' || contract.status === 'draft' ? (
          <label>
            {pt('reason')}
            <input value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          </label>
        ) : null}
        {contract.status === 'active' ? (
          <ActionButton kind="secondary" label={pt('suspendContract')} disabled={reason.trim() === ''} run={async () => must(await api.POST('/v1/contracts/{contractId}/suspend', { params: { path, header: headers }, body }))} onDone={onDone} />
        ) : null}
        {contract.status === 'suspended' ? (
          <ActionButton label={pt('resume')} run={() => refusing(async () => must(await api.POST('/v1/contracts/{contractId}/resume', { params: { path, header: headers }, body })))} onDone={onDone} />
        ) : null}
        {contract.status === 'active' || contract.status === 'suspended' ? (
          <ActionButton kind="danger" label={pt('terminate')} disabled={reason.trim() === ''} run={async () => must(await api.POST('/v1/contracts/{contractId}/terminate', { params: { path, header: headers }, body }))} onDone={onDone} />
        ) : null}
      </div>
      <table class="data">
        <caption>{pt('statusHistory')}</caption>
        <thead>
          <tr>
            <th scope="col">{pt('when')}</th>
            <th scope="col">{pt('status')}</th>
            <th scope="col">{pt('who')}</th>
            <th scope="col">{pt('reason')}</th>
          </tr>
        </thead>
        <tbody>
          {contract.statusHistory.length === 0 ? (
            <tr>
              <td colSpan={4} class="muted">
                {pt('empty')}
              </td>
            </tr>
          ) : (
            contract.statusHistory.map((change) => (
              <tr key={`${change.at}-${change.to}`}>
                <td>{formatInstant(change.at)}</td>
                <td>
                  {contractStatusLabel(change.from)} → {contractStatusLabel(change.to)}
                </td>
                <td>{change.by}</td>
                <td>{change.reason ?? '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

function list(items: readonly string[]): string {
  return items.length === 0 ? '—' : items.join('、');
}

function diffLines(version: Schemas['ContractVersion'], name: (id: string) => string): string[] {
  const diff = version.diff;
  if (diff === undefined) return [pt('original')];
  const lines: string[] = [];
  if (diff.scope.added.length > 0) lines.push(pt('scopeAdded', { list: diff.scope.added.map(name).join('、') }));
  if (diff.scope.removed.length > 0) lines.push(pt('scopeRemoved', { list: diff.scope.removed.map(name).join('、') }));
  if (diff.pricing.changed) {
    lines.push(pt('pricingFromTo', { from: diff.pricing.from === undefined ? '—' : pricingText(diff.pricing.from), to: diff.pricing.to === undefined ? '—' : pricingText(diff.pricing.to) }));
    if (diff.pricing.items !== undefined) lines.push(pt('itemsDiff', { added: list(diff.pricing.items.added), changed: list(diff.pricing.items.changed), removed: list(diff.pricing.items.removed) }));
  }
  if (diff.standardRef.changed) {
    const ref = (value?: { standardId: string; version: number }) => (value === undefined ? '—' : `${value.standardId} v${value.version}`);
    lines.push(pt('standardFromTo', { from: ref(diff.standardRef.from), to: ref(diff.standardRef.to) }));
  }
  if (diff.rulebook.changed) {
    lines.push(pt('rulebookDiff', { added: list(diff.rulebook.itemsAdded), changed: list(diff.rulebook.itemsChanged), removed: list(diff.rulebook.itemsRemoved), sections: list(diff.rulebook.sectionsChanged) }));
  }
  return lines.length === 0 ? [pt('noChange')] : lines;
}

function VersionsTable({ versions, name }: { versions: readonly Schemas['ContractVersion'][]; name: (id: string) => string }) {
  return (
    <table class="data" data-testid="versions">
      <caption>{pt('versions')}</caption>
      <thead>
        <tr>
          <th scope="col" class="num">{pt('termsVersion')}</th>
          <th scope="col">{pt('effectiveFrom')}</th>
          <th scope="col">{pt('inForce')}</th>
          <th scope="col">{pt('reason')}</th>
          <th scope="col">{pt('approvedBy')}</th>
          <th scope="col">{pt('changes')}</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((version) => (
          <tr key={version.termsVersion}>
            <td class="num">{version.termsVersion}</td>
            <td>{day(version.effectiveFrom)}</td>
            <td>{version.inForce === undefined ? pt('superseded') : `${day(version.inForce.from)} – ${day(version.inForce.to)}`}</td>
            <td>{version.amendment?.reason ?? '—'}</td>
            <td>{version.amendment === undefined ? '—' : `${version.amendment.approvedBy}（${day(version.amendment.approvedAt)}）`}</td>
            <td>
              {version.changes.length === 0 ? null : <p class="muted">{version.changes.map((change) => pt(`change_${change}`)).join('、')}</p>}
              <ul class="plain">
                {diffLines(version, name).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AmendForm({ contract, scope, segments, refusing, onDone }: { contract: Schemas['ContractAsOf']; scope: readonly string[]; segments: ReadonlyMap<string, Segment>; refusing: <T>(call: () => Promise<T>) => Promise<T>; onDone: () => void }) {
  const [picked, setPicked] = useState<string[]>([...scope]);
  const [fields, setFields] = useState({ effectiveFrom: today(), approvedAt: today(), approvedBy: '', reason: '', monthly: '' });
  const [key, setKey] = useState(newKey);
  const monthlyFen = fields.monthly.trim() === '' ? undefined : parseYuan(fields.monthly);
  const scopeChanged = picked.length !== scope.length || picked.some((id) => !scope.includes(id));
  const candidates = [...segments.values()].filter((segment) => segment.status === 'active' || scope.includes(segment.segmentId));
  const ready = fields.effectiveFrom !== '' && fields.approvedAt !== '' && fields.approvedBy.trim() !== '' && fields.reason.trim() !== '' && picked.length > 0 && (scopeChanged || monthlyFen !== undefined) && !(fields.monthly.trim() !== '' && monthlyFen === undefined);
  const toggle = (id: string): void => setPicked((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current, id]));
  return (
    <details class="proc-section amend">
      <summary>
        <h2>{pt('amend')}</h2>
      </summary>
      <p class="muted">{pt('amendHelp')}</p>
      <div class="grid-2">
        <div>
          <div class="form-grid">
            <label>
              {pt('effectiveFrom')}
              <input type="date" value={fields.effectiveFrom} onInput={(event) => setFields({ ...fields, effectiveFrom: event.currentTarget.value })} />
            </label>
            <label>
              {pt('approvedAt')}
              <input type="date" value={fields.approvedAt} onInput={(event) => setFields({ ...fields, approvedAt: event.currentTarget.value })} />
            </label>
            <label>
              {pt('approvedBy')}
              <input value={fields.approvedBy} onInput={(event) => setFields({ ...fields, approvedBy: event.currentTarget.value })} />
            </label>
            <label>
              {pt('reason')}
              <input value={fields.reason} onInput={(event) => setFields({ ...fields, reason: event.currentTarget.value })} />
            </label>
            {contract.terms?.pricing.kind === 'lump_sum' ? (
              <label>
                {pt('newMonthly')}
                <input inputMode="decimal" value={fields.monthly} onInput={(event) => setFields({ ...fields, monthly: event.currentTarget.value })} />
                {fields.monthly.trim() !== '' && monthlyFen === undefined ? <span class="field-error">{pt('notYuan')}</span> : null}
              </label>
            ) : null}
          </div>
          <fieldset class="checklist">
            <legend>{pt('segments')}</legend>
            {candidates.map((segment) => (
              <label key={segment.segmentId} class="check">
                <input type="checkbox" checked={picked.includes(segment.segmentId)} onChange={() => toggle(segment.segmentId)} />
                {segment.name} <span class="muted">{segment.street}</span>
              </label>
            ))}
          </fieldset>
        </div>
        <SegmentMap
          segments={candidates}
          label={pt('amendMap')}
          onPick={toggle}
          colorOf={(id) => (picked.includes(id) ? '#c2410c' : '#9ca3af')}
          drawKey={picked.join(',')}
        />
      </div>
      <ActionButton
        label={pt('submitAmendment')}
        disabled={!ready}
        run={() =>
          refusing(async () =>
            must(
              await api.POST('/v1/contracts/{contractId}/amendments', {
                params: { path: { contractId: contract.contractId }, header: { 'if-match': `"${contract.version}"`, 'idempotency-key': key } },
                body: {
                  effectiveFrom: fields.effectiveFrom,
                  approvedAt: fields.approvedAt,
                  approvedBy: fields.approvedBy.trim(),
                  reason: fields.reason.trim(),
                  ...(scopeChanged ? { scope: picked } : {}),
                  ...(monthlyFen === undefined ? {} : { pricing: { kind: 'lump_sum' as const, monthlyFen } }),
                },
              }),
            ),
          )
        }
        onDone={() => {
          setKey(newKey());
          onDone();
        }}
      />
    </details>
  );
}
