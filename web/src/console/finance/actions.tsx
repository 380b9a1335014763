/**
 * The statement's lifecycle as buttons: recompute (Idempotency-Key), review, approve, record the
 * payment (each with If-Match: the record's version). The API decides every step; its refusal
 * (four eyes, the month still running, a stale version) is shown as it words it.
 */
import { useState } from 'preact/hooks';
import { api, must, newKey } from '../../api/client';
import { ActionButton } from '../ui';
import { fm } from './messages';
import { ifMatch, type StatementRecord } from './data';

const path = {
  computations: '/v1/contracts/{contractId}/statements/{month}/computations',
  review: '/v1/contracts/{contractId}/statements/{month}/review',
  approval: '/v1/contracts/{contractId}/statements/{month}/approval',
  payment: '/v1/contracts/{contractId}/statements/{month}/payment',
} as const;

/** Compute (or recompute) a contract-month: a new draft version, or the unchanged record. */
export function ComputeButton({ contractId, month, again, onDone, onFailed }: { contractId: string; month: string; again: boolean; onDone: (record: StatementRecord) => void; onFailed?: (error: unknown) => void }) {
  // One key per intended action: a retry after a lost answer is the same computation.
  const [key, setKey] = useState(newKey);
  return (
    <ActionButton
      kind="secondary"
      label={again ? fm('recompute') : fm('compute')}
      run={async () => {
        try {
          return must(await api.POST(path.computations, { params: { path: { contractId, month }, header: { 'idempotency-key': key } } }));
        } catch (error) {
          setKey(newKey());
          onFailed?.(error);
          throw error;
        }
      }}
      onDone={(record) => {
        setKey(newKey());
        onDone(record as StatementRecord);
      }}
    />
  );
}

/** The next step the record's status allows: review a draft, approve a reviewed one. */
export function StepButton({ record, onDone }: { record: Pick<StatementRecord, 'contractId' | 'month' | 'status' | 'version'>; onDone: (record: StatementRecord) => void }) {
  const { contractId, month, version } = record;
  const [key, setKey] = useState(newKey);
  const done = (result: unknown): void => {
    setKey(newKey());
    onDone(result as StatementRecord);
  };
  const header = { 'if-match': ifMatch(version), 'idempotency-key': key };
  if (record.status === 'draft') {
    return <ActionButton label={fm('review')} run={async () => must(await api.POST(path.review, { params: { path: { contractId, month }, header }, body: {} }))} onDone={done} />;
  }
  if (record.status === 'reviewed') {
    return <ActionButton label={fm('approve')} run={async () => must(await api.POST(path.approval, { params: { path: { contractId, month }, header }, body: {} }))} onDone={done} />;
  }
  return null;
}

/** Record the payment of an approved statement: reference and date, checked before sending. */
export function PaymentForm({ record, onDone }: { record: StatementRecord; onDone: (record: StatementRecord) => void }) {
  const [reference, setReference] = useState('');
  const [paidOn, setPaidOn] = useState('');
  const [key, setKey] = useState(newKey);
  const ready = reference.trim() !== '' && /^\d{4}-\d{2}-\d{2}$/.test(paidOn);
  return (
    <form class="filters payment" onSubmit={(event) => event.preventDefault()}>
      <label>
        {fm('paymentReference')}
        <input name="reference" value={reference} maxLength={200} onInput={(event) => setReference(event.currentTarget.value)} />
      </label>
      <label>
        {fm('paidOn')}
        <input name="paidOn" type="date" value={paidOn} onInput={(event) => setPaidOn(event.currentTarget.value)} />
      </label>
      <ActionButton
        label={fm('markPaid')}
        disabled={!ready}
        run={async () =>
          must(
            await api.POST(path.payment, {
              params: { path: { contractId: record.contractId, month: record.month }, header: { 'if-match': ifMatch(record.version), 'idempotency-key': key } },
              body: { reference: reference.trim(), paidOn },
            }),
          )
        }
        onDone={(result) => {
          setKey(newKey());
          onDone(result as StatementRecord);
        }}
      />
      {ready ? null : <span class="muted">{fm('paymentNeeds')}</span>}
    </form>
  );
}
