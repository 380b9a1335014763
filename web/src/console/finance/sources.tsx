/**
 * A statement line's sources, loaded when its details open (GET …/lines/{lineKey}): each kind
 * as a table of the stored facts the computation used, proofs down to their photos.
 */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client';
import { formatDate, formatInstant } from '../../i18n';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { Money, Score } from '../ui';
import { fm, type FinanceKey } from './messages';
import { lineLabel, parseStatementRef, type StatementLine } from './data';
import { sourceNames, type SourceNames } from './names';

type Fact = { id: string } & Record<string, unknown>;

const shownAtFirst = 50;

function kindLabel(kind: string): string {
  const key = `kind_${kind}` as FinanceKey;
  return key in kindNames ? fm(key) : kind;
}
const kindNames: Readonly<Record<string, true>> = Object.fromEntries(
  ['taskIds', 'proofIds', 'inspectionIds', 'orderIds', 'complaintIds', 'workOrderIds', 'segmentIds', 'lineKeys', 'amendmentIds', 'itemCodes', 'statementRefs'].map((kind) => [`kind_${kind}`, true]),
);

function fieldLabel(field: string): string {
  const key = `field_${field}` as FinanceKey;
  return key in fieldNames ? fm(key) : field;
}
const fieldNames: Readonly<Record<string, true>> = Object.fromEntries(
  ['id', 'activity', 'segmentId', 'date', 'at', 'pointsX100', 'fineFen', 'amountFen', 'itemCode', 'category', 'findings', 'quantityX1000', 'orderedQuantityX1000', 'acceptedOn', 'labelZh', 'code', 'termsVersion', 'effectiveFrom'].map((field) => [`field_${field}`, true]),
);

/** Thousandths as a decimal string (a work order's quantity). */
function formatX1000(x1000: number): string {
  const sign = x1000 < 0 ? '-' : '';
  const digits = String(Math.abs(x1000)).padStart(4, '0');
  const fraction = digits.slice(-3).replace(/0+$/, '');
  return `${sign}${digits.slice(0, -3)}${fraction === '' ? '' : `.${fraction}`}`;
}

function Value({ field, value, names }: { field: string; value: unknown; names: SourceNames }) {
  if (value === undefined || value === null) return <>—</>;
  // Names instead of ids and codes where the API gives them; the id stays as the cell's title.
  if (typeof value === 'string' && field === 'segmentId' && names.segments.has(value)) return <span title={value}>{names.segments.get(value)}</span>;
  if (typeof value === 'string' && field === 'activity' && names.activities.has(value)) return <span title={value}>{names.activities.get(value)}</span>;
  if (typeof value === 'number' && field.endsWith('Fen')) return <Money fen={value} />;
  if (typeof value === 'number' && field.endsWith('X100')) return <Score x100={value} />;
  if (typeof value === 'number' && field.endsWith('X1000')) return <span class="num">{formatX1000(value)}</span>;
  if (typeof value === 'string' && field === 'at') return <>{formatInstant(value)}</>;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return <>{formatDate(value)}</>;
  if (field === 'findings' && Array.isArray(value)) {
    return (
      <ul class="findings">
        {(value as { itemCode?: string; category?: string; pointsX100?: number; fineFen?: number }[]).map((finding, index) => (
          <li key={index}>
            {finding.itemCode} {finding.category === undefined ? '' : `（${finding.category}）`} {finding.pointsX100 === undefined ? null : <>−<Score x100={finding.pointsX100} /></>}{' '}
            {finding.fineFen === undefined ? null : <Money fen={-finding.fineFen} />}
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') return <code>{JSON.stringify(value)}</code>;
  return <>{String(value)}</>;
}

function ProofPhotos({ proofId }: { proofId: string }) {
  const photos = useLoad(async () => must(await api.GET('/v1/proofs/{proofId}/photos', { params: { path: { proofId } } })).items, [proofId]);
  if (photos.error !== undefined) return <ErrorBox error={photos.error} onRetry={photos.reload} />;
  if (photos.data === undefined) return <Loading />;
  const shown = photos.data.filter((photo) => photo.url !== undefined);
  if (shown.length === 0) return <p class="muted">{fm('noPhotos')}</p>;
  return (
    <div class="photos" data-testid="proof-photos">
      {shown.map((photo, index) => (
        <figure key={photo.evidenceId}>
          <img src={photo.url} alt={fm('photoAlt', { id: proofId, n: index + 1 })} loading="lazy" />
          {photo.exif?.capturedAt === undefined ? null : <figcaption>{formatInstant(photo.exif.capturedAt)}</figcaption>}
        </figure>
      ))}
    </div>
  );
}

function KindTable({ kind, facts, names }: { kind: string; facts: readonly Fact[]; names: SourceNames }) {
  const [all, setAll] = useState(false);
  const shown = all ? facts : facts.slice(0, shownAtFirst);
  const fields = [...new Set(shown.flatMap((fact) => Object.keys(fact)))].filter((field) => field !== 'id' && field !== 'labelEn');
  return (
    <section class="source-kind">
      <h4>
        {kindLabel(kind)}（{facts.length}）
      </h4>
      <table class="data compact">
        <thead>
          <tr>
            <th scope="col">{fieldLabel('id')}</th>
            {fields.map((field) => (
              <th scope="col" key={field}>
                {fieldLabel(field)}
              </th>
            ))}
            {kind === 'proofIds' ? <th scope="col">{fm('photos')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {shown.map((fact) => {
            const ref = kind === 'statementRefs' ? parseStatementRef(fact.id) : undefined;
            return (
              <tr key={fact.id}>
                <td class="id">
                  {ref === undefined ? (
                    <code>{fact.id}</code>
                  ) : (
                    <a href={`#/finance/statements/${encodeURIComponent(ref.contractId)}/${ref.month}${ref.version === undefined ? '' : `?v=${ref.version}`}`}>{fm('adjustmentCorrects', { month: ref.month, ref: fact.id })}</a>
                  )}
                </td>
                {fields.map((field) => (
                  <td key={field} class={field.endsWith('Fen') || field.endsWith('X100') || field.endsWith('X1000') ? 'num' : undefined}>
                    <Value field={field} value={fact[field]} names={names} />
                  </td>
                ))}
                {kind === 'proofIds' ? (
                  <td>
                    <details>
                      <summary>{fm('photosOf', { id: fact.id })}</summary>
                      <ProofPhotos proofId={fact.id} />
                    </details>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {facts.length > shown.length ? (
        <p class="muted">
          {fm('moreSources', { shown: shown.length, n: facts.length })}{' '}
          <button type="button" class="link-button" onClick={() => setAll(true)}>
            {fm('showAll')}
          </button>
        </p>
      ) : null}
    </section>
  );
}

function Expanded({ contractId, month, version, line }: { contractId: string; month: string; version?: number; line: StatementLine }) {
  const expanded = useLoad(async () => {
    const answer = must(
      await api.GET('/v1/contracts/{contractId}/statements/{month}/lines/{lineKey}', {
        params: { path: { contractId, month, lineKey: line.key }, ...(version === undefined ? {} : { query: { version } }) },
      }),
    );
    return { sources: answer.sources as Record<string, Fact[]>, names: await sourceNames(answer.sources as Record<string, Fact[]>) };
  }, [contractId, month, version, line.key]);
  if (expanded.error !== undefined) return <ErrorBox error={expanded.error} onRetry={expanded.reload} />;
  if (expanded.data === undefined) return <Loading />;
  const { names } = expanded.data;
  const kinds = Object.entries(expanded.data.sources).filter(([, facts]) => facts.length > 0);
  if (kinds.length === 0) return <p class="muted">{fm('noSources')}</p>;
  return (
    <div class="sources" data-testid="line-sources">
      {kinds.map(([kind, facts]) => (
        <KindTable key={kind} kind={kind} facts={facts} names={names} />
      ))}
    </div>
  );
}

/** The line's sources behind a details/summary; fetched on first open. */
export function LineSources({ contractId, month, version, line }: { contractId: string; month: string; version?: number; line: StatementLine }) {
  const [opened, setOpened] = useState(false);
  // Each kind with the length of the id list the line carries (no sum across kinds).
  const kinds = Object.entries(line.sources).filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].length > 0);
  if (kinds.length === 0) return <span class="muted">{fm('noSources')}</span>;
  return (
    <details onToggle={(event) => event.currentTarget.open && setOpened(true)} data-testid="line-details" data-line={line.key}>
      <summary>{fm('sourcesOf', { label: lineLabel(line), kinds: kinds.map(([kind, ids]) => `${kindLabel(kind)} ${ids.length}`).join('、') })}</summary>
      {opened ? <Expanded contractId={contractId} month={month} {...(version === undefined ? {} : { version })} line={line} /> : null}
    </details>
  );
}
