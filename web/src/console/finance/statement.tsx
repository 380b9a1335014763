/**
 * A statement: who computed, reviewed, approved and paid it; its lifecycle buttons; every line
 * with its label, amount and formula, its sources behind a details; adjustments with the month
 * they correct; the totals as the API holds them; the computations kept, each comparable.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client';
import { formatBps, formatDate, formatInstant } from '../../i18n';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { Money, PageTitle, Score, queryOf } from '../ui';
import { ComputeButton, PaymentForm, StepButton } from './actions';
import { formulaOf, lineLabel, loadNames, orderedTotals, loadStatement, parseStatementRef, serviceText, statusText, totalLabel, type StatementRecord } from './data';
import { ExportButton } from './export';
import { fm } from './messages';
import { LineSources } from './sources';

function base(contractId: string, month: string): string {
  return `#/finance/statements/${encodeURIComponent(contractId)}/${month}`;
}

function Facts({ record, contractorName }: { record: StatementRecord; contractorName: string }) {
  const statement = record.statement;
  return (
    <dl class="facts" data-testid="statement-facts">
      <dt>{fm('contractor')}</dt>
      <dd>{contractorName}</dd>
      <dt>{fm('serviceType')}</dt>
      <dd>{serviceText(record.serviceType)}</dd>
      <dt>{fm('status')}</dt>
      <dd>
        <span class={`badge status-${record.status}`} data-testid="statement-status">
          {statusText(record.status)}
        </span>
      </dd>
      <dt>{fm('computeVersion')}</dt>
      <dd>
        {record.computeVersion}（{fm('recordVersion')} {record.version}）
      </dd>
      <dt>{fm('computedAt')}</dt>
      <dd>{fm('byAt', { by: record.computedBy, at: formatInstant(record.computedAt) })}</dd>
      <dt>{fm('reviewedBy')}</dt>
      <dd>{record.review === undefined ? '—' : fm('byAt', { by: record.review.by, at: formatInstant(record.review.at) })}</dd>
      <dt>{fm('approvedBy')}</dt>
      <dd>{record.approval === undefined ? '—' : fm('byAt', { by: record.approval.by, at: formatInstant(record.approval.at) })}</dd>
      <dt>{fm('paidBy')}</dt>
      <dd>{record.payment === undefined ? '—' : fm('payment', { reference: record.payment.reference, paidOn: formatDate(record.payment.paidOn), by: record.payment.by })}</dd>
      <dt>{fm('score')}</dt>
      <dd>
        <Score x100={statement.scoreX100} />
      </dd>
      <dt>{fm('coefficient')}</dt>
      <dd>{formatBps(statement.coefficientBps)}</dd>
      <dt>{fm('activeDays')}</dt>
      <dd>{fm('daysOf', { active: statement.activeDays, days: statement.daysInMonth })}</dd>
      <dt>{fm('rulebook')}</dt>
      <dd>{fm('rulebookVersion', { name: statement.rulebook.name, v: statement.rulebook.version })}</dd>
    </dl>
  );
}

function Lines({ record, version }: { record: StatementRecord; version?: number }) {
  const { statement } = record;
  return (
    <table class="data lines" data-testid="statement-lines">
      <caption>{fm('lines')}</caption>
      <thead>
        <tr>
          <th scope="col">{fm('item')}</th>
          <th scope="col" class="num">
            {fm('amount')}
          </th>
          <th scope="col">{fm('formula')}</th>
        </tr>
      </thead>
      <tbody>
        {statement.lines.map((line) => (
          <Fragment key={line.key}>
            <tr class="line" data-line={line.key}>
              <th scope="row">{lineLabel(line)}</th>
              <td class="num">
                <Money fen={line.amountFen} />
              </td>
              <td class="formula">{formulaOf(line)}</td>
            </tr>
            <tr class="line-sources">
              <td colSpan={3}>
                <LineSources contractId={record.contractId} month={record.month} {...(version === undefined ? {} : { version })} line={line} />
              </td>
            </tr>
          </Fragment>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{totalLabel('netFen')}</th>
          <td class="num" data-testid="net">
            <Money fen={statement.totals['netFen'] ?? 0} />
          </td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

function Totals({ record }: { record: StatementRecord }) {
  return (
    <table class="data totals">
      <caption>{fm('totals')}</caption>
      <tbody>
        {orderedTotals(record.statement.totals).map(([key, fen]) => (
          <tr key={key}>
            <th scope="row">{totalLabel(key)}</th>
            <td class="num">
              <Money fen={fen} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Adjustments({ record }: { record: StatementRecord }) {
  const adjustments = record.statement.lines.filter((line) => line.code === 'adjustment');
  return (
    <section>
      <h2>{fm('adjustments')}</h2>
      {adjustments.length === 0 ? (
        <p class="muted">{fm('noAdjustments')}</p>
      ) : (
        <ul class="adjustments">
          {adjustments.map((line) => (
            <li key={line.key}>
              <Money fen={line.amountFen} /> {formulaOf(line)}
              <ul>
                {(line.sources.statementRefs ?? []).map((ref) => {
                  const parsed = parseStatementRef(ref);
                  return (
                    <li key={ref}>
                      {parsed === undefined ? ref : <a href={`${base(parsed.contractId, parsed.month)}${parsed.version === undefined ? '' : `?v=${parsed.version}`}`}>{fm('adjustmentCorrects', { month: parsed.month, ref })}</a>}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Versions({ record }: { record: StatementRecord }) {
  const versions = useLoad(
    async () => must(await api.GET('/v1/contracts/{contractId}/statements/{month}/versions', { params: { path: { contractId: record.contractId, month: record.month } } })).items,
    [record.contractId, record.month, record.version],
  );
  if (versions.error !== undefined) return <ErrorBox error={versions.error} onRetry={versions.reload} />;
  if (versions.data === undefined) return <Loading />;
  const current = record.computeVersion;
  return (
    <section>
      <h2>{fm('versions')}</h2>
      {versions.data.length <= 1 ? <p class="muted">{fm('onlyOneVersion')}</p> : null}
      <table class="data versions" data-testid="versions">
        <thead>
          <tr>
            <th scope="col">{fm('computeVersion')}</th>
            <th scope="col">{fm('computedByAt')}</th>
            <th scope="col">{fm('status')}</th>
            <th scope="col" class="num">
              {fm('net')}
            </th>
            <th scope="col">{fm('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.data.map((kept) => (
            <tr key={kept.computeVersion}>
              <th scope="row">{fm('versionRow', { v: kept.computeVersion })}</th>
              <td>{fm('byAt', { by: kept.computedBy, at: formatInstant(kept.computedAt) })}</td>
              <td>{statusText(kept.status)}</td>
              <td class="num">
                <Money fen={kept.statement.totals['netFen'] ?? 0} />
              </td>
              <td>
                <a href={`${base(record.contractId, record.month)}?v=${kept.computeVersion}`}>{fm('viewVersion', { v: kept.computeVersion })}</a>
                {kept.computeVersion === current ? null : (
                  <>
                    {' · '}
                    <a href={`${base(record.contractId, record.month)}/diff?from=${Math.min(kept.computeVersion, current)}&to=${Math.max(kept.computeVersion, current)}`}>{fm('diffVersion', { from: Math.min(kept.computeVersion, current), to: Math.max(kept.computeVersion, current) })}</a>
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

export function StatementScreen({ contractId, month, path }: { contractId: string; month: string; path: string }) {
  const v = queryOf(path).get('v');
  const version = v === null || !/^\d+$/.test(v) ? undefined : Number(v);
  const [round, setRound] = useState(0);
  const loaded = useLoad(async () => {
    const [record, names] = await Promise.all([loadStatement(contractId, month, version), loadNames(contractId)]);
    return { record, names };
  }, [contractId, month, version, round]);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { record, names } = loaded.data;
  const reload = (): void => setRound((n) => n + 1);
  const kept = version !== undefined;
  const changes = record.changes;
  return (
    <>
      <PageTitle title={fm('statementTitle', { title: names.contract.title, month })}>
        <a class="button" href={`${base(contractId, month)}/print${kept ? `?v=${version}` : ''}`}>
          {fm('print')}
        </a>
        <ExportButton contractId={contractId} month={month} format="xlsx" />
        <ExportButton contractId={contractId} month={month} format="csv" />
      </PageTitle>
      <p>
        <a href={`#/finance/month?month=${month}`}>{fm('backToMonth')}</a>
      </p>
      {kept ? (
        <p class="box warn">
          {fm('keptVersion', { v: version })} <a href={base(contractId, month)}>{fm('backToCurrent')}</a>
        </p>
      ) : null}
      <div class="grid-2">
        <section>
          <h2>{fm('facts')}</h2>
          <Facts record={record} contractorName={names.contractorName} />
        </section>
        <section class="lifecycle">
          <h2>{fm('lifecycle')}</h2>
          <p class="muted">{fm('lifecycleHint')}</p>
          {kept ? null : (
            <div class="page-actions" data-testid="lifecycle">
              {record.status === 'draft' || record.status === 'reviewed' ? <ComputeButton contractId={contractId} month={month} again onDone={reload} /> : null}
              <StepButton key={record.version} record={record} onDone={reload} />
              {record.status === 'approved' ? <PaymentForm record={record} onDone={reload} /> : null}
            </div>
          )}
          {changes === undefined ? null : (
            <p class="box info" data-testid="changes">
              {fm('changesIntro', { v: changes.previousComputeVersion })} <Money fen={changes.netBeforeFen} /> → <Money fen={changes.netAfterFen} />（<Money fen={changes.netDeltaFen} />）
              {fm('changesKeys', { keys: changes.changedLineKeys.join('、') })}{' '}
              <a href={`${base(contractId, month)}/diff?from=${changes.previousComputeVersion}&to=${record.computeVersion}`}>{fm('diffVersion', { from: changes.previousComputeVersion, to: record.computeVersion })}</a>
            </p>
          )}
        </section>
      </div>
      <Lines record={record} {...(version === undefined ? {} : { version })} />
      <div class="grid-2">
        <Totals record={record} />
        <Adjustments record={record} />
      </div>
      <Versions record={record} />
    </>
  );
}
