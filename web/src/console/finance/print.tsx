/**
 * The 结算单 for signature: A4 portrait, zh-CN, one page for a typical contract. The header
 * (单位: the district's name from GET /v1/tenant, where the office stamps it; month, date, money unit), the contract and its contractor by
 * name, every line with its formula and the net as the API holds them (also in capitals, as
 * payment forms write it), and the 审核 / 批准 signature lines with who reviewed and approved it
 * and when from the record, beside blank lines for the handwritten signatures. The same layout
 * shows on screen; print CSS (finance.css) hides the console around it.
 */
import { formatBps, formatDate, formatFen, formatInstant, formatX100 } from '../../i18n';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { queryOf } from '../ui';
import { fenInCapitals } from './capitals';
import { formulaOf, lineLabel, loadNames, loadStatement, loadTenantName, serviceText, statusText, type StatementRecord } from './data';
import { fm } from './messages';

/** Yuan without the currency sign: the header says 金额单位：元. */
function yuan(fen: number): string {
  return formatFen(fen).replace('¥', '');
}

function monthText(month: string): string {
  const [year, number] = month.split('-');
  return fm('formMonthValue', { year: year!, month: String(Number(number)) });
}

function Signature({ role, recorded, step }: { role: string; recorded?: { by: string; at: string }; step: string }) {
  return (
    <div class="signature">
      <div class="signature-role">{role}</div>
      <div class="signature-line">
        <span>{fm('formSignature')}：</span>
        <span class="blank" />
      </div>
      <div class="signature-line">
        <span>{fm('formDate')}：</span>
        <span class="blank short" />
      </div>
      <div class="signature-record">{recorded === undefined ? fm('formNotYet', { step }) : fm('formRecorded', { by: recorded.by, at: formatInstant(recorded.at, { withOffset: false }) })}</div>
    </div>
  );
}

function Sheet({ record, contractTitle, contractorName, unitName }: { record: StatementRecord; contractTitle: string; contractorName: string; unitName: string | undefined }) {
  const { statement } = record;
  const net = statement.totals['netFen'] ?? 0;
  const final = record.status === 'approved' || record.status === 'paid';
  const dated = record.approval?.at;
  return (
    <article class="print-sheet" data-testid="print-sheet" lang="zh-CN">
      {final ? null : <div class="draft-mark">{fm('formDraftMark')}</div>}
      <h1>{fm('formTitle', { service: serviceText(record.serviceType) })}</h1>
      <div class="sheet-head">
        {unitName === undefined ? (
          <span class="unit">
            {fm('formUnit')}：<span class="blank" />
          </span>
        ) : (
          <span class="unit" data-testid="print-unit">
            {fm('formUnitLabel')}：{unitName}
            {fm('formStamp')}
          </span>
        )}
        <span>
          {fm('formMonth')}：{monthText(record.month)}
        </span>
        <span>
          {fm('formDate')}：{dated === undefined ? <span class="blank short" /> : formatDate(dated.slice(0, 10))}
        </span>
        <span>{fm('formMoneyUnit')}</span>
      </div>
      <table class="sheet-facts">
        <tbody>
          <tr>
            <th scope="row">{fm('formContract')}</th>
            <td colSpan={3}>{contractTitle}</td>
          </tr>
          <tr>
            <th scope="row">{fm('formContractId')}</th>
            <td>{record.contractId}</td>
            <th scope="row">{fm('serviceType')}</th>
            <td>{serviceText(record.serviceType)}</td>
          </tr>
          <tr>
            <th scope="row">{fm('formContractor')}</th>
            <td colSpan={3}>{contractorName}</td>
          </tr>
          <tr>
            <th scope="row">{fm('formScore')}</th>
            <td>
              {formatX100(statement.scoreX100)} / {formatBps(statement.coefficientBps)}
            </td>
            <th scope="row">{fm('activeDays')}</th>
            <td>{fm('daysOf', { active: statement.activeDays, days: statement.daysInMonth })}</td>
          </tr>
          <tr>
            <th scope="row">{fm('formStatus')}</th>
            <td>{statusText(record.status)}</td>
            <th scope="row">{fm('computeVersion')}</th>
            <td>{fm('formVersion', { v: record.computeVersion, r: record.version })}</td>
          </tr>
        </tbody>
      </table>
      <table class="sheet-lines">
        <thead>
          <tr>
            <th scope="col" class="no">
              {fm('formNo')}
            </th>
            <th scope="col" class="item">
              {fm('item')}
            </th>
            <th scope="col" class="amount">
              {fm('amount')}
            </th>
            <th scope="col">{fm('formula')}</th>
          </tr>
        </thead>
        <tbody>
          {statement.lines.map((line, index) => (
            <tr key={line.key}>
              <td class="no">{index + 1}</td>
              <td class="item">{lineLabel(line)}</td>
              <td class="amount">{yuan(line.amountFen)}</td>
              <td class="formula">{formulaOf(line)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {fm('total_netFen')}
            </th>
            <td class="amount" data-testid="print-net">
              {yuan(net)}
            </td>
            <td />
          </tr>
          <tr>
            <th scope="row" colSpan={2}>
              {fm('formNetUpper')}
            </th>
            <td colSpan={2} class="capitals">
              {fenInCapitals(net)}
            </td>
          </tr>
        </tfoot>
      </table>
      <div class="signatures">
        <Signature role={fm('formReviewer')} step={fm('formStepReview')} {...(record.review === undefined ? {} : { recorded: record.review })} />
        <Signature role={fm('formApprover')} step={fm('formStepApprove')} {...(record.approval === undefined ? {} : { recorded: record.approval })} />
        <div class="signature">
          <div class="signature-role">{fm('formContractorSign')}</div>
          <div class="signature-line">
            <span>{fm('formSignature')}：</span>
            <span class="blank" />
          </div>
          <div class="signature-line">
            <span>{fm('formDate')}：</span>
            <span class="blank short" />
          </div>
        </div>
      </div>
      <p class="sheet-footer">{fm('formFooter', { digest: record.inputsDigest.slice(0, 16) })}</p>
    </article>
  );
}

export function PrintScreen({ contractId, month, path }: { contractId: string; month: string; path: string }) {
  const v = queryOf(path).get('v');
  const version = v === null || !/^\d+$/.test(v) ? undefined : Number(v);
  const loaded = useLoad(async () => {
    const [record, names, unitName] = await Promise.all([loadStatement(contractId, month, version), loadNames(contractId), loadTenantName()]);
    return { record, names, unitName };
  }, [contractId, month, version]);
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { record, names, unitName } = loaded.data;
  return (
    <div class="print-view">
      <div class="print-toolbar no-print">
        <a href={`#/finance/statements/${encodeURIComponent(contractId)}/${month}${version === undefined ? '' : `?v=${version}`}`}>{fm('backToStatement')}</a>
        <button type="button" class="primary" onClick={() => print()}>
          {fm('printNow')}
        </button>
      </div>
      <Sheet record={record} contractTitle={names.contract.title} contractorName={names.contractorName} unitName={unitName} />
    </div>
  );
}
