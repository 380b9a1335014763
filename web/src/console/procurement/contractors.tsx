/**
 * Contractors: search, register (the unified social credit code checked as it is typed, with
 * the API's own GB 32100-2015 rule), and one contractor's suspension, red/black listing and
 * versions.
 */
import { useState } from 'preact/hooks';
import { validateUscc } from '../../../../domain/contractors/uscc-check';
import { api, must, newKey } from '../../api/client';
import { formatInstant } from '../../i18n';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { ActionButton, PageTitle, queryOf } from '../ui';
import { pt } from './messages';
import { day, ifMatch, today, VersionHistory, type Contractor } from './shared';

const listings = ['none', 'red', 'black'] as const;
type ListingStatus = (typeof listings)[number];

export function listingLabel(status: string): string {
  return pt(`listing_${status}` as 'listing_none');
}

export function ContractorsScreen({ path }: { path: string }) {
  const query = queryOf(path);
  const q = query.get('q') ?? '';
  const status = (query.get('status') ?? 'all') as 'active' | 'suspended' | 'all';
  const listing = query.get('listing') ?? '';
  const [typed, setTyped] = useState(q);
  const list = useLoad(
    async () => must(await api.GET('/v1/contractors', { params: { query: { limit: 200, status, ...(q === '' ? {} : { q }), ...(listing === '' ? {} : { listing: listing as ListingStatus }) } } })),
    [q, status, listing],
  );
  function set(name: string, value: string): void {
    const next = new URLSearchParams(query);
    if (value === '' || (name === 'status' && value === 'all')) next.delete(name);
    else next.set(name, value);
    const tail = next.toString();
    navigate(`/procurement/contractors${tail === '' ? '' : `?${tail}`}`);
  }
  return (
    <>
      <PageTitle title={pt('contractorsTitle')} />
      <form
        class="filters"
        aria-label={pt('filter')}
        onSubmit={(event) => {
          event.preventDefault();
          set('q', typed.trim());
        }}
      >
        <label>
          {pt('search')}
          <input type="search" value={typed} onInput={(event) => setTyped(event.currentTarget.value)} />
        </label>
        <label>
          {pt('status')}
          <select value={status} onChange={(event) => set('status', event.currentTarget.value)}>
            <option value="all">{pt('all')}</option>
            <option value="active">{pt('cStatus_active')}</option>
            <option value="suspended">{pt('cStatus_suspended')}</option>
          </select>
        </label>
        <label>
          {pt('listing')}
          <select value={listing} onChange={(event) => set('listing', event.currentTarget.value)}>
            <option value="">{pt('all')}</option>
            {listings.map((value) => (
              <option key={value} value={value}>
                {listingLabel(value)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          {pt('filter')}
        </button>
      </form>
      {list.error !== undefined ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data === undefined ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p class="muted">{pt('empty')}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{pt('name')}</th>
              <th scope="col">{pt('code')}</th>
              <th scope="col">{pt('status')}</th>
              <th scope="col">{pt('listing')}</th>
              <th scope="col">{pt('contactName')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((contractor) => (
              <tr key={contractor.contractorId}>
                <td>
                  <a href={`#/procurement/contractors/${contractor.contractorId}`}>{contractor.name}</a>
                </td>
                <td>
                  <code>{contractor.code}</code>
                </td>
                <td>
                  <span class={`chip ${contractor.status}`}>{pt(`cStatus_${contractor.status}`)}</span>
                </td>
                <td>
                  <span class={`chip listing-${contractor.listing.status}`}>{listingLabel(contractor.listing.status)}</span>
                  {contractor.listing.since === undefined ? null : <span class="muted"> {day(contractor.listing.since)}</span>}
                </td>
                <td>{contractor.contactName ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RegisterForm />
    </>
  );
}

/** The code's check as a sentence, in the console's language. */
export function usccMessage(input: string): { ok: boolean; text: string } | undefined {
  if (input.trim() === '') return undefined;
  const result = validateUscc(input);
  if (result.ok) {
    return { ok: true, text: pt('usccOk', { authority: result.parts.registrationAuthorityZh, type: result.parts.organizationTypeZh, division: result.parts.divisionCode }) };
  }
  if (result.reason === 'length') return { ok: false, text: pt('usccLength', { count: [...result.normalized].length }) };
  if (result.reason === 'check') return { ok: false, text: pt('usccCheck', { expected: result.expected ?? '' }) };
  return { ok: false, text: pt('usccCharacter', { position: result.position ?? '', character: [...result.normalized][(result.position ?? 1) - 1] ?? '' }) };
}

function RegisterForm() {
  const [fields, setFields] = useState({ name: '', code: '', legalRepresentative: '', contactName: '', contactPhone: '', address: '' });
  const [key] = useState(newKey);
  const check = usccMessage(fields.code);
  const field = (name: keyof typeof fields, label: string, extra: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input value={fields[name]} onInput={(event) => setFields({ ...fields, [name]: event.currentTarget.value })} {...extra} />
    </label>
  );
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return (
    <section class="proc-section" aria-labelledby="register-title">
      <h2 id="register-title">{pt('newContractor')}</h2>
      <div class="form-grid">
        {field('name', `${pt('name')}（${pt('required')}）`, { required: true, autocomplete: 'organization' })}
        <label>
          {`${pt('code')}（${pt('required')}）`}
          <input
            value={fields.code}
            required
            maxLength={24}
            spellcheck={false}
            autocomplete="off"
            aria-describedby="uscc-check"
            aria-invalid={check?.ok === false ? 'true' : undefined}
            onInput={(event) => setFields({ ...fields, code: event.currentTarget.value })}
          />
          <span id="uscc-check" class={check === undefined ? 'muted' : check.ok ? 'field-ok' : 'field-error'} aria-live="polite">
            {check?.text ?? ''}
          </span>
        </label>
        {field('legalRepresentative', pt('legalRepresentative'))}
        {field('contactName', pt('contactName'))}
        {field('contactPhone', pt('contactPhone'), { type: 'tel' })}
        {field('address', pt('address'))}
      </div>
      <ActionButton
        label={pt('register')}
        disabled={fields.name.trim() === '' || check?.ok !== true}
        run={async () =>
          must(
            await api.POST('/v1/contractors', {
              params: { header: { 'idempotency-key': key } },
              body: {
                name: fields.name.trim(),
                code: fields.code,
                ...dropUndefined({ legalRepresentative: optional(fields.legalRepresentative), contactName: optional(fields.contactName), contactPhone: optional(fields.contactPhone), address: optional(fields.address) }),
              },
            }),
          )
        }
        onDone={(created) => navigate(`/procurement/contractors/${(created as Contractor).contractorId}`)}
      />
    </section>
  );
}

function dropUndefined<T extends Record<string, string | undefined>>(record: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: string };
}

const historyFields = ['name', 'nameEn', 'legalRepresentative', 'contactName', 'contactPhone', 'address', 'status', 'suspendedReason', 'reinstatedReason'] as const;

function changesOf(previous: Contractor | undefined, current: Contractor): string[] {
  if (previous === undefined) return [pt('created')];
  const label: Record<(typeof historyFields)[number], string> = {
    name: pt('name'),
    nameEn: pt('nameEn'),
    legalRepresentative: pt('legalRepresentative'),
    contactName: pt('contactName'),
    contactPhone: pt('contactPhone'),
    address: pt('address'),
    status: pt('status'),
    suspendedReason: `${pt('suspend')}${pt('reason')}`,
    reinstatedReason: `${pt('reinstate')}${pt('reason')}`,
  };
  const text = (contractor: Contractor, name: (typeof historyFields)[number]): string => {
    const value = contractor[name];
    if (value === undefined) return '—';
    return name === 'status' ? pt(`cStatus_${String(value)}` as 'cStatus_active') : String(value);
  };
  const lines = historyFields.filter((name) => text(previous, name) !== text(current, name)).map((name) => `${label[name]}：${text(previous, name)} → ${text(current, name)}`);
  const listing = (contractor: Contractor) => `${listingLabel(contractor.listing.status)}${contractor.listing.since === undefined ? '' : ` ${contractor.listing.since}`}${contractor.listing.reason === undefined ? '' : `（${contractor.listing.reason}）`}`;
  if (listing(previous) !== listing(current)) lines.push(`${pt('listing')}：${listing(previous)} → ${listing(current)}`);
  return lines.length === 0 ? [pt('noChange')] : lines;
}

export function ContractorScreen({ contractorId }: { contractorId: string }) {
  const loaded = useLoad(async () => {
    const [contractor, history] = await Promise.all([
      api.GET('/v1/contractors/{contractorId}', { params: { path: { contractorId } } }).then(must),
      api.GET('/v1/contractors/{contractorId}/history', { params: { path: { contractorId }, query: { limit: 200 } } }).then(must),
    ]);
    return { contractor, history: [...history.items].sort((a, b) => a.version - b.version) };
  }, [contractorId]);
  const [reason, setReason] = useState('');
  const [listing, setListing] = useState<{ status: ListingStatus; since: string; reason: string; source: string }>({ status: 'red', since: today(), reason: '', source: '' });
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { contractor, history } = loaded.data;
  const headers = { 'if-match': ifMatch(contractor.version), 'idempotency-key': newKey() };
  return (
    <>
      <PageTitle title={contractor.name}>
        <a href="#/procurement/contractors">{pt('back')}</a>
      </PageTitle>
      <dl class="facts">
        <dt>{pt('code')}</dt>
        <dd>
          <code>{contractor.code}</code>
        </dd>
        <dt>{pt('status')}</dt>
        <dd>
          <span class={`chip ${contractor.status}`}>{pt(`cStatus_${contractor.status}`)}</span>
          {contractor.status === 'suspended' && contractor.suspendedAt !== undefined ? <span> {pt('suspendedBecause', { at: formatInstant(contractor.suspendedAt), reason: contractor.suspendedReason ?? '' })}</span> : null}
        </dd>
        <dt>{pt('listing')}</dt>
        <dd>
          <span class={`chip listing-${contractor.listing.status}`}>{listingLabel(contractor.listing.status)}</span>
          {contractor.listing.since === undefined ? null : ` ${day(contractor.listing.since)}`}
          {contractor.listing.reason === undefined ? null : `：${contractor.listing.reason}`}
          {contractor.listing.source === undefined ? null : `（${contractor.listing.source}）`}
        </dd>
        <dt>{pt('legalRepresentative')}</dt>
        <dd>{contractor.legalRepresentative ?? '—'}</dd>
        <dt>{pt('contactName')}</dt>
        <dd>
          {contractor.contactName ?? '—'} {contractor.contactPhone ?? ''}
        </dd>
        <dt>{pt('address')}</dt>
        <dd>{contractor.address ?? '—'}</dd>
      </dl>
      <div class="grid-2">
        <section class="proc-section" aria-labelledby="suspend-title">
          <h2 id="suspend-title">{pt('suspendTitle')}</h2>
          <label>
            {pt('reason')}
            <input value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          </label>
          {contractor.status === 'active' ? (
            <ActionButton
              kind="danger"
              label={pt('suspend')}
              disabled={reason.trim() === ''}
              run={async () => must(await api.POST('/v1/contractors/{contractorId}/suspend', { params: { path: { contractorId }, header: headers }, body: { reason: reason.trim() } }))}
              onDone={() => {
                setReason('');
                loaded.reload();
              }}
            />
          ) : (
            <ActionButton
              label={pt('reinstate')}
              disabled={reason.trim() === ''}
              run={async () => must(await api.POST('/v1/contractors/{contractorId}/reinstate', { params: { path: { contractorId }, header: headers }, body: { reason: reason.trim() } }))}
              onDone={() => {
                setReason('');
                loaded.reload();
              }}
            />
          )}
        </section>
        <section class="proc-section" aria-labelledby="listing-title">
          <h2 id="listing-title">{pt('setListing')}</h2>
          <div class="form-grid">
            <label>
              {pt('listing')}
              <select value={listing.status} onChange={(event) => setListing({ ...listing, status: event.currentTarget.value as ListingStatus })}>
                {listings.map((value) => (
                  <option key={value} value={value}>
                    {listingLabel(value)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {pt('since')}
              <input type="date" value={listing.since} onInput={(event) => setListing({ ...listing, since: event.currentTarget.value })} />
            </label>
            <label>
              {pt('reason')}
              <input value={listing.reason} onInput={(event) => setListing({ ...listing, reason: event.currentTarget.value })} />
            </label>
            <label>
              {pt('source')}
              <input value={listing.source} onInput={(event) => setListing({ ...listing, source: event.currentTarget.value })} />
            </label>
          </div>
          <ActionButton
            label={pt('setListing')}
            disabled={listing.since === ''}
            run={async () =>
              must(
                await api.PUT('/v1/contractors/{contractorId}/listing', {
                  params: { path: { contractorId }, header: { 'if-match': ifMatch(contractor.version) } },
                  body: { status: listing.status, since: listing.since, ...(listing.reason.trim() === '' ? {} : { reason: listing.reason.trim() }), ...(listing.source.trim() === '' ? {} : { source: listing.source.trim() }) },
                }),
              )
            }
            onDone={loaded.reload}
          />
        </section>
      </div>
      <VersionHistory caption={pt('contractorHistory')} history={history} changesOf={changesOf} />
    </>
  );
}
