/**
 * 审计记录: who changed a record, when, and what changed (GET /v1/audit/entities/{entity}/{id}),
 * and every change of the tenant in a range (GET /v1/audit). The log holds versions and
 * statuses; what changed between two versions is read from the record's own history
 * (segments, contractors), the statement diff, or the contract's terms versions.
 * Other areas link here: `#/supervision/audit/<Entity>/<id>` (a statement: `<contractId>/<month>`).
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { allPages } from '../../api/lists';
import type { MessageKey } from '../../messages';
import { formatFen, formatInstant, label, t } from '../../i18n';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { Money, PageTitle, queryOf } from '../ui';
import { actionText, auditedEntities, entityText, fieldText, isAuditedEntity, statusText, type AuditedEntity } from './audit-labels';
import { st } from './messages';
import { names } from './names';
import { Refusal } from './notices';

type AuditEntry = Schemas['AuditEntry'];

export function auditPath(entity: AuditedEntity, entityId: string): string {
  // A statement's id keeps its slash: the route reads everything after the kind as the id.
  return `/supervision/audit/${entity}/${entityId.split('/').map(encodeURIComponent).join('/')}`;
}

/** `/supervision/audit/Statement/con_1/2026-12` → { entity: 'Statement', entityId: 'con_1/2026-12' }. */
export function parseAuditPath(path: string): { entity: AuditedEntity; entityId: string } | undefined {
  const rest = path.split('?')[0]!.slice('/supervision/audit/'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const entity = rest.slice(0, slash);
  const entityId = rest
    .slice(slash + 1)
    .split('/')
    .map((part) => decodeURIComponent(part))
    .join('/');
  if (!isAuditedEntity(entity) || entityId === '') return undefined;
  return { entity, entityId };
}

function wordOf(table: Readonly<Record<string, { zh: string; en: string }>>, word: string | undefined): string {
  if (word === undefined) return '';
  const text = table[word];
  return text === undefined ? word : label(text);
}

function Actor({ actor }: { actor: AuditEntry['actor'] }) {
  if ('system' in actor) return <span>{st('systemActor', { name: wordOf(actionText, actor.system) })}</span>;
  return (
    <span>
      <code>{actor.sub}</code>
      {actor.roles.length === 0 ? null : <span class="muted">（{actor.roles.map((role) => t(`role_${role}` as MessageKey)).join('、')}）</span>}
    </span>
  );
}

// --- What changed -------------------------------------------------------------------------

const bookkeeping = new Set(['version', 'updatedAt', 'updatedBy', 'createdAt', 'createdBy', 'tenantId']);

function shown(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return wordOf(statusText, value);
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** A record as `path → value` pairs; geometries and lists of objects stay whole. */
function flatten(record: unknown, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (record === null || typeof record !== 'object' || Array.isArray(record) || (prefix !== '' && 'coordinates' in record)) {
    into.set(prefix, record);
    return into;
  }
  for (const [key, value] of Object.entries(record)) {
    if (prefix === '' && bookkeeping.has(key)) continue;
    flatten(value, prefix === '' ? key : `${prefix}.${key}`, into);
  }
  return into;
}

function fieldLabel(path: string): string {
  const text = fieldText[path];
  return text === undefined ? path : `${label(text)} (${path})`;
}

export function FieldDiff({ before, after }: { before: unknown; after: unknown }) {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((path) => JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path)));
  if (paths.length === 0) return <p class="muted">{st('noFieldChanges')}</p>;
  return (
    <table class="data diff">
      <thead>
        <tr>
          <th scope="col">{st('field')}</th>
          <th scope="col">{st('before')}</th>
          <th scope="col">{st('after')}</th>
        </tr>
      </thead>
      <tbody>
        {paths.map((path) => (
          <tr key={path}>
            <th scope="row">{fieldLabel(path)}</th>
            <td class="removed">{shown(a.get(path))}</td>
            <td class="added">{shown(b.get(path))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Snapshot({ record }: { record: unknown }) {
  const fields = [...flatten(record).entries()];
  return (
    <details>
      <summary>{st('createdWith')}</summary>
      <dl class="facts">
        {fields.map(([path, value]) => (
          <Fragment key={path}>
            <dt>{fieldLabel(path)}</dt>
            <dd>{shown(value)}</dd>
          </Fragment>
        ))}
      </dl>
    </details>
  );
}

type Versions = ReadonlyMap<number, unknown>;

async function historyOf(entity: AuditedEntity, entityId: string): Promise<Versions | undefined> {
  const list =
    entity === 'Segment'
      ? await allPages(async (cursor) => must(await api.GET('/v1/segments/{segmentId}/history', { params: { path: { segmentId: entityId }, query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } } })))
      : entity === 'Contractor'
        ? await allPages(async (cursor) => must(await api.GET('/v1/contractors/{contractorId}/history', { params: { path: { contractorId: entityId }, query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } } })))
        : undefined;
  return list === undefined ? undefined : new Map(list.map((version) => [version.version, version]));
}

function VersionChange({ entry, versions }: { entry: AuditEntry; versions: Versions }) {
  if (entry.afterVersion === null) return null;
  const after = versions.get(entry.afterVersion);
  if (after === undefined) return <p class="muted">{st('versionMissing', { version: entry.afterVersion })}</p>;
  if (entry.beforeVersion === null) return <Snapshot record={after} />;
  const before = versions.get(entry.beforeVersion);
  if (before === undefined) return <p class="muted">{st('versionMissing', { version: entry.beforeVersion })}</p>;
  return <FieldDiff before={before} after={after} />;
}

/** The API's own line-by-line diff of two computations of a statement. */
function StatementChange({ entityId, from, to }: { entityId: string; from: number; to: number }) {
  const [contractId, month] = entityId.split('/') as [string, string];
  const loaded = useLoad(async () => must(await api.GET('/v1/contracts/{contractId}/statements/{month}/diff', { params: { path: { contractId, month }, query: { from, to } } })), [entityId, from, to]);
  if (loaded.error !== undefined) return <Refusal error={loaded.error} />;
  if (loaded.data === undefined) return <Loading />;
  const diff = loaded.data;
  return (
    <details>
      <summary>{st('statementDiff', { from, to })}</summary>
      {diff.unchanged ? (
        <p class="muted">{st('unchanged')}</p>
      ) : (
        <table class="data diff">
          <thead>
            <tr>
              <th scope="col">{st('line')}</th>
              <th scope="col" class="num">{st('before')}</th>
              <th scope="col" class="num">{st('after')}</th>
              <th scope="col" class="num">{st('delta')}</th>
            </tr>
          </thead>
          <tbody>
            {diff.lines.map((line) => (
              <tr key={line.key}>
                <th scope="row">
                  {line.labelEn} <code class="muted">{line.key}</code>
                </th>
                <td class="num">{line.beforeFen === null ? '—' : formatFen(line.beforeFen)}</td>
                <td class="num">{line.afterFen === null ? '—' : formatFen(line.afterFen)}</td>
                <td class="num">
                  <Money fen={line.deltaFen} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td>{st('net')}</td>
              <td class="num">{formatFen(diff.netBeforeFen)}</td>
              <td class="num">{formatFen(diff.netAfterFen)}</td>
              <td class="num">
                <Money fen={diff.netDeltaFen} />
              </td>
            </tr>
          </tfoot>
        </table>
      )}
    </details>
  );
}

function Change({ entity, entityId, entry, versions }: { entity: AuditedEntity; entityId: string; entry: AuditEntry; versions: Versions | undefined }) {
  if (versions !== undefined) return <VersionChange entry={entry} versions={versions} />;
  if (entity === 'Statement' && entry.beforeVersion !== null && entry.afterVersion !== null && entry.beforeVersion !== entry.afterVersion && entry.action === 'computeStatement')
    return <StatementChange entityId={entityId} from={entry.beforeVersion} to={entry.afterVersion} />;
  if (entry.beforeVersion === null) return <span>{st('created')}</span>;
  return null;
}

function ContractTerms({ contractId }: { contractId: string }) {
  const loaded = useLoad(async () => must(await api.GET('/v1/contracts/{contractId}/versions', { params: { path: { contractId } } })), [contractId]);
  if (loaded.error !== undefined) return <Refusal error={loaded.error} />;
  if (loaded.data === undefined) return <Loading />;
  return (
    <section>
      <h2>{st('termsVersions')}</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{st('version')}</th>
            <th scope="col">{st('effectiveFrom')}</th>
            <th scope="col">{st('inForce')}</th>
            <th scope="col">{st('changes')}</th>
            <th scope="col">{st('amendmentReason')}</th>
          </tr>
        </thead>
        <tbody>
          {loaded.data.items.map((version) => (
            <tr key={version.termsVersion}>
              <td>{st('termsVersion', { version: version.termsVersion })}</td>
              <td>{version.effectiveFrom}</td>
              <td>{version.inForce === undefined ? '—' : `${version.inForce.from} — ${version.inForce.to}`}</td>
              <td>
                {version.diff === undefined ? (
                  st('original')
                ) : (
                  <ul class="plain">
                    {version.changes.map((part) => (
                      <li key={part}>{st(`part_${part}`)}</li>
                    ))}
                    {version.diff.scope.added.length === 0 ? null : <li>{st('scopeAdded')}：{version.diff.scope.added.join('、')}</li>}
                    {version.diff.scope.removed.length === 0 ? null : <li>{st('scopeRemoved')}：{version.diff.scope.removed.join('、')}</li>}
                    {version.diff.rulebook.changed ? (
                      <li>{st('rulebookItems', { added: version.diff.rulebook.itemsAdded.join('、') || '—', changed: version.diff.rulebook.itemsChanged.join('、') || '—', removed: version.diff.rulebook.itemsRemoved.join('、') || '—' })}</li>
                    ) : null}
                  </ul>
                )}
              </td>
              <td>
                {version.amendment === undefined ? (
                  '—'
                ) : (
                  <>
                    {version.amendment.reason}
                    <br />
                    <span class="muted">
                      {st('approvedBy')}：{version.amendment.approvedBy}（{formatInstant(version.amendment.approvedAt)}）
                    </span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Versions({ entry }: { entry: AuditEntry }) {
  if (entry.afterVersion === null) return <span>—</span>;
  return <span class="num">{entry.beforeVersion === null ? `v${entry.afterVersion}` : `v${entry.beforeVersion} → v${entry.afterVersion}`}</span>;
}

function StatusChange({ before, after }: { before: string | undefined; after: string | undefined }) {
  if (after === undefined) return <span>—</span>;
  if (before === undefined || before === after) return <span>{wordOf(statusText, after)}</span>;
  return (
    <span>
      <span class="removed">{wordOf(statusText, before)}</span> → <span class="added">{wordOf(statusText, after)}</span>
    </span>
  );
}

export function AuditTrailScreen({ entity, entityId }: { entity: AuditedEntity; entityId: string }) {
  const loaded = useLoad(async () => {
    const [entries, versions] = await Promise.all([
      allPages(async (cursor) => must(await api.GET('/v1/audit/entities/{entity}/{entityId}', { params: { path: { entity, entityId }, query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } } }))),
      historyOf(entity, entityId),
    ]);
    // The record's name beside its id, where the area knows it (a failure leaves the id alone).
    const known = entity === 'Contract' || entity === 'Contractor' ? await names().catch(() => undefined) : undefined;
    const name = known === undefined ? undefined : entity === 'Contract' ? known.contract(entityId) : known.contractor(entityId);
    return { entries, versions, name: name === entityId ? undefined : name };
  }, [entity, entityId]);
  const what = `${label(entityText[entity])} ${entityId}`;
  return (
    <>
      <PageTitle title={st('auditOf', { what: label(entityText[entity]) })}>
        <a href="#/supervision/audit">{st('auditFind')}</a>
      </PageTitle>
      <p>
        {loaded.data?.name === undefined ? null : <strong class="record-name">{loaded.data.name} </strong>}
        <code>{entityId}</code>
      </p>
      {loaded.error !== undefined ? (
        <Refusal error={loaded.error} onRetry={loaded.reload} />
      ) : loaded.data === undefined ? (
        <Loading />
      ) : loaded.data.entries.length === 0 ? (
        <p class="box info">{st('noEntries')}</p>
      ) : (
        <table class="data audit-trail" aria-label={st('auditOf', { what })}>
          <caption>{st('entriesCount', { count: loaded.data.entries.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{st('at')}</th>
              <th scope="col">{st('who')}</th>
              <th scope="col">{st('action')}</th>
              <th scope="col">{st('version')}</th>
              <th scope="col">{st('status')}</th>
              <th scope="col">{st('changes')}</th>
              <th scope="col">{st('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.entries.map((entry, index, entries) => (
              <tr key={entry.entryId}>
                <td>{formatInstant(entry.at)}</td>
                <td>
                  <Actor actor={entry.actor} />
                </td>
                <td>
                  {wordOf(actionText, entry.action)}
                  <br />
                  <code class="muted">{entry.action}</code>
                </td>
                <td>
                  <Versions entry={entry} />
                </td>
                <td>
                  <StatusChange before={entries[index - 1]?.status} after={entry.status} />
                </td>
                <td>
                  <Change entity={entity} entityId={entityId} entry={entry} versions={loaded.data!.versions} />
                </td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entity === 'Contract' ? <ContractTerms contractId={entityId} /> : null}
    </>
  );
}

// --- Finding a record, and the tenant's changes in a range ---------------------------------

function FindRecord({ entity: initialEntity }: { entity: AuditedEntity }) {
  const [entity, setEntity] = useState<AuditedEntity>(initialEntity);
  const [entityId, setEntityId] = useState('');
  const [invalid, setInvalid] = useState(false);
  function submit(event: Event): void {
    event.preventDefault();
    const id = entityId.trim();
    if (id === '') {
      setInvalid(true);
      return;
    }
    navigate(auditPath(entity, id));
  }
  return (
    <section>
      <h2>{st('auditFind')}</h2>
      <form class="filters" onSubmit={submit} noValidate>
        <label>
          {st('entity')}
          <select value={entity} onChange={(event) => setEntity((event.target as HTMLSelectElement).value as AuditedEntity)}>
            {auditedEntities.map((name) => (
              <option key={name} value={name}>
                {label(entityText[name])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {st('entityId')}
          <input
            type="text"
            name="entityId"
            value={entityId}
            size={36}
            aria-invalid={invalid ? 'true' : undefined}
            aria-describedby="entity-id-hint"
            onInput={(event) => {
              setEntityId((event.target as HTMLInputElement).value);
              setInvalid(false);
            }}
          />
        </label>
        <button type="submit" class="primary">
          {st('openTrail')}
        </button>
      </form>
      <p id="entity-id-hint" class={invalid ? 'error-text' : 'muted'}>
        {invalid ? st('entityIdRequired') : st('entityIdHint')}
      </p>
    </section>
  );
}

interface RangeQuery {
  readonly from: string;
  readonly to: string;
  readonly entity?: AuditedEntity;
  readonly actor?: string;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day after a YYYY-MM-DD date (calendar arithmetic in UTC, no zone involved). */
function nextDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return isoDate(new Date(Date.UTC(year, month - 1, day + 1)));
}

function rangeOf(query: URLSearchParams): RangeQuery {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const weekAgo = isoDate(new Date(Date.UTC(year, month - 1, day - 6)));
  const datePattern = /^\d{4}-\d{2}-\d{2}$/;
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const entity = query.get('entity') ?? '';
  const actor = (query.get('actor') ?? '').trim();
  return {
    from: datePattern.test(from) ? from : weekAgo,
    to: datePattern.test(to) ? to : today,
    ...(isAuditedEntity(entity) ? { entity } : {}),
    ...(actor === '' ? {} : { actor }),
  };
}

function rangePath(range: RangeQuery): string {
  const params = new URLSearchParams({ from: range.from, to: range.to });
  if (range.entity !== undefined) params.set('entity', range.entity);
  if (range.actor !== undefined) params.set('actor', range.actor);
  return `/supervision/audit?${params.toString()}`;
}

function RangeFilters({ range }: { range: RangeQuery }) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [entity, setEntity] = useState<string>(range.entity ?? '');
  const [actor, setActor] = useState(range.actor ?? '');
  function submit(event: Event): void {
    event.preventDefault();
    const trimmed = actor.trim();
    navigate(rangePath({ from, to, ...(isAuditedEntity(entity) ? { entity } : {}), ...(trimmed === '' ? {} : { actor: trimmed }) }));
  }
  return (
    <form class="filters" onSubmit={submit}>
      <label>
        {st('from')}
        <input type="date" required value={from} onInput={(event) => setFrom((event.target as HTMLInputElement).value)} />
      </label>
      <label>
        {st('to')}
        <input type="date" required value={to} onInput={(event) => setTo((event.target as HTMLInputElement).value)} />
      </label>
      <label>
        {st('entity')}
        <select value={entity} onChange={(event) => setEntity((event.target as HTMLSelectElement).value)}>
          <option value="">{st('allEntities')}</option>
          {auditedEntities.map((name) => (
            <option key={name} value={name}>
              {label(entityText[name])}
            </option>
          ))}
        </select>
      </label>
      <label>
        {st('actor')}
        <input type="text" value={actor} onInput={(event) => setActor((event.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="primary">
        {st('show')}
      </button>
    </form>
  );
}

type Page = Schemas['AuditEntryPage'];

function TenantAudit({ range }: { range: RangeQuery }) {
  const [more, setMore] = useState<{ items: AuditEntry[]; cursor?: string | undefined }>({ items: [] });
  const [moreError, setMoreError] = useState<unknown>();
  const request = (cursor?: string) =>
    api.GET('/v1/audit', {
      params: {
        query: {
          from: `${range.from}T00:00:00+08:00`,
          to: `${nextDay(range.to)}T00:00:00+08:00`,
          limit: 50,
          ...(range.entity === undefined ? {} : { entity: range.entity }),
          ...(range.actor === undefined ? {} : { actor: range.actor }),
          ...(cursor === undefined ? {} : { cursor }),
        },
      },
    });
  const loaded = useLoad(async (): Promise<Page> => {
    setMore({ items: [] });
    return must(await request());
  }, [range.from, range.to, range.entity, range.actor]);
  async function loadMore(cursor: string): Promise<void> {
    setMoreError(undefined);
    try {
      const page = must(await request(cursor));
      setMore((previous) => ({ items: [...previous.items, ...page.items], cursor: page.nextCursor }));
    } catch (error) {
      setMoreError(error);
    }
  }
  if (loaded.error !== undefined) return <Refusal error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const items = [...loaded.data.items, ...more.items];
  const cursor = more.items.length === 0 ? loaded.data.nextCursor : more.cursor;
  if (items.length === 0) return <p class="muted">{st('noEntries')}</p>;
  return (
    <>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{st('at')}</th>
            <th scope="col">{st('record')}</th>
            <th scope="col">{st('who')}</th>
            <th scope="col">{st('action')}</th>
            <th scope="col">{st('version')}</th>
            <th scope="col">{st('status')}</th>
            <th scope="col">{st('reason')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((entry) => (
            <tr key={entry.entryId}>
              <td>{formatInstant(entry.at)}</td>
              <td>
                {label(entityText[entry.entity])}
                <br />
                <a href={`#${auditPath(entry.entity, entry.entityId)}`}>
                  <code>{entry.entityId}</code>
                </a>
              </td>
              <td>
                <Actor actor={entry.actor} />
              </td>
              <td>{wordOf(actionText, entry.action)}</td>
              <td>
                <Versions entry={entry} />
              </td>
              <td>{wordOf(statusText, entry.status)}</td>
              <td>{entry.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {cursor === undefined ? null : (
        <button type="button" onClick={() => void loadMore(cursor)}>
          {st('loadMore')}
        </button>
      )}
      {moreError === undefined ? null : <ErrorBox error={moreError} />}
    </>
  );
}

export function AuditHomeScreen({ path }: { path: string }) {
  const range = rangeOf(queryOf(path));
  return (
    <>
      <PageTitle title={st('auditTitle')} />
      <FindRecord entity={range.entity ?? 'Contract'} />
      <section>
        <h2>{st('recentChanges')}</h2>
        <RangeFilters key={rangePath(range)} range={range} />
        <TenantAudit range={range} />
      </section>
    </>
  );
}
