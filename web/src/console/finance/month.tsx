/**
 * The month: every contract in force in it, with its statement's status as the API holds it
 * (not computed, draft, reviewed, approved, paid; a computation refused shows why), score and
 * net, and the next step: compute or recompute, review, approve. Payment is recorded on the
 * statement itself (it takes a reference and a date).
 */
import { useState } from 'preact/hooks';
import { ApiProblem } from '../../api/client';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { Money, PageTitle, Score, previousMonth, queryOf } from '../ui';
import { ComputeButton, StepButton } from './actions';
import { allContracts, contractorNames, monthStatements, serviceText, statusText, type Contract, type StatementSummary } from './data';
import { fm } from './messages';

interface Row {
  readonly contractId: string;
  readonly title: string;
  readonly contractorName: string;
  readonly serviceType: string;
  readonly statement?: StatementSummary;
}

function inForce(contract: Contract, month: string): boolean {
  // ISO dates compare as strings: in force on some day of the month.
  return contract.status !== 'draft' && contract.startDate <= `${month}-31` && contract.endDate >= `${month}-01`;
}

async function loadMonth(month: string): Promise<Row[]> {
  const [contracts, names, statements] = await Promise.all([allContracts(), contractorNames(), monthStatements(month)]);
  const byContract = new Map(statements.map((statement) => [statement.contractId, statement]));
  const rows: Row[] = contracts
    .filter((contract) => inForce(contract, month) || byContract.has(contract.contractId))
    .map((contract) => ({
      contractId: contract.contractId,
      title: contract.title,
      contractorName: names.get(contract.contractorId) ?? contract.contractorId,
      serviceType: contract.serviceType,
      ...(byContract.has(contract.contractId) ? { statement: byContract.get(contract.contractId)! } : {}),
    }));
  return rows.sort((a, b) => a.serviceType.localeCompare(b.serviceType) || a.title.localeCompare(b.title, 'zh-CN'));
}

function currentMonth(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  return `${parts.find((part) => part.type === 'year')?.value}-${parts.find((part) => part.type === 'month')?.value}`;
}

function MonthRow({ row, month, onChanged }: { row: Row; month: string; onChanged: () => void }) {
  const [failure, setFailure] = useState<unknown>();
  const statement = row.statement;
  const href = `#/finance/statements/${encodeURIComponent(row.contractId)}/${month}`;
  return (
    <tr data-testid="month-row" data-contract={row.contractId}>
      <td>
        {statement === undefined ? (
          row.title
        ) : (
          <a href={href} aria-label={fm('openOf', { title: row.title })}>
            {row.title}
          </a>
        )}
        <div class="muted">{row.contractId}</div>
      </td>
      <td>{row.contractorName}</td>
      <td>{serviceText(row.serviceType)}</td>
      <td data-testid="status">
        <span class={`badge status-${failure !== undefined ? 'failed' : statement?.status ?? 'none'}`}>{statusText(failure !== undefined ? 'failed' : statement?.status ?? 'none')}</span>
        {failure === undefined ? null : <div class="failure">{fm('failedReason', { reason: failure instanceof ApiProblem || failure instanceof Error ? failure.message : String(failure) })}</div>}
      </td>
      <td class="num">{statement === undefined ? '—' : <Score x100={statement.scoreX100} />}</td>
      <td class="num">{statement === undefined ? '—' : <Money fen={statement.netFen} />}</td>
      <td class="num">{statement === undefined ? '—' : statement.computeVersion}</td>
      <td>
        <div class="row-actions">
        {statement === undefined || statement.status === 'draft' || statement.status === 'reviewed' ? (
          <ComputeButton
            contractId={row.contractId}
            month={month}
            again={statement !== undefined}
            onFailed={setFailure}
            onDone={() => {
              setFailure(undefined);
              onChanged();
            }}
          />
        ) : null}
        {statement === undefined ? null : <StepButton record={statement} onDone={onChanged} />}
        </div>
      </td>
    </tr>
  );
}

export function MonthScreen({ path }: { path: string }) {
  const month = queryOf(path).get('month') ?? previousMonth();
  const [picked, setPicked] = useState(month);
  const rows = useLoad(() => loadMonth(month), [month]);
  const thisMonth = currentMonth();
  const lastMonth = previousMonth();
  return (
    <>
      <PageTitle title={fm('monthTitle')} />
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          if (/^\d{4}-\d{2}$/.test(picked)) navigate(`/finance/month?month=${picked}`);
        }}
      >
        <label>
          {fm('monthLabel')}
          <input type="month" name="month" value={picked} onInput={(event) => setPicked(event.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary">
          {fm('show')}
        </button>
        <a class="button" href={`#/finance/month?month=${lastMonth}`} aria-current={month === lastMonth ? 'page' : undefined}>
          {fm('previousMonth')}（{lastMonth}）
        </a>
        <a class="button" href={`#/finance/month?month=${thisMonth}`} aria-current={month === thisMonth ? 'page' : undefined}>
          {fm('thisMonth')}（{thisMonth}）
        </a>
      </form>
      {rows.error !== undefined ? <ErrorBox error={rows.error} onRetry={rows.reload} /> : null}
      {rows.data === undefined ? (
        rows.error === undefined ? <Loading /> : null
      ) : rows.data.length === 0 ? (
        <p class="box info">{fm('noContracts', { month })}</p>
      ) : (
        <table class="data month" data-testid="month-table">
          <caption>{fm('monthTitle')} · {month}</caption>
          <thead>
            <tr>
              <th scope="col">{fm('contract')}</th>
              <th scope="col">{fm('contractor')}</th>
              <th scope="col">{fm('serviceType')}</th>
              <th scope="col">{fm('status')}</th>
              <th scope="col" class="num">{fm('score')}</th>
              <th scope="col" class="num">{fm('net')}</th>
              <th scope="col" class="num">{fm('computeVersion')}</th>
              <th scope="col">{fm('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((row) => (
              <MonthRow key={`${row.contractId}-${row.statement?.version ?? 0}`} row={row} month={month} onChanged={rows.reload} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
