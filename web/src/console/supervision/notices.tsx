/** 通报: the warnings, black-list entries and termination reviews the monthly close raised (GET /v1/notices). */
import { api, ApiProblem, must } from '../../api/client';
import { allPages } from '../../api/lists';
import { formatInstant, label, language } from '../../i18n';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { PageTitle } from '../ui';
import { st, serviceTypeText } from './messages';
import { periodLabel } from './months';
import { names } from './names';
import { ContractCell } from './rankings';

/** A refusal of the caller's role reads as a note, in the API's words, not as a failure. */
export function Refusal({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error instanceof ApiProblem && error.status === 403) return <p class="box warn">{st('notForYou', { detail: error.message })}</p>;
  return <ErrorBox error={error} {...(onRetry === undefined ? {} : { onRetry })} />;
}

export function NoticesScreen() {
  const loaded = useLoad(async () => {
    const [notices, known] = await Promise.all([allPages(async (cursor) => must(await api.GET('/v1/notices', { params: { query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } } }))), names()]);
    return { notices, names: known };
  }, []);
  const zh = language() === 'zh';
  return (
    <>
      <PageTitle title={st('noticesTitle')} />
      <p class="muted">{st('noticesIntro')}</p>
      {loaded.error !== undefined ? (
        <Refusal error={loaded.error} onRetry={loaded.reload} />
      ) : loaded.data === undefined ? (
        <Loading />
      ) : loaded.data.notices.length === 0 ? (
        <p class="muted">{st('noNotices')}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{st('period')}</th>
              <th scope="col">{st('kind')}</th>
              <th scope="col">{st('serviceType')}</th>
              <th scope="col">{st('contract')}</th>
              <th scope="col">{st('contractor')}</th>
              <th scope="col">{st('reason')}</th>
              <th scope="col">{st('raisedAt')}</th>
              <th scope="col">{st('auditLink')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.notices.map((notice) => (
              <tr key={notice.noticeId}>
                <td>{periodLabel(notice.period, zh)}</td>
                <td>
                  <span class={`badge notice-${notice.kind}`}>{st(`kind_${notice.kind}`)}</span>
                </td>
                <td>{label(serviceTypeText[notice.serviceType], notice.serviceType)}</td>
                <td>
                  <ContractCell contractId={notice.contractId} names={loaded.data!.names} />
                </td>
                <td>{loaded.data!.names.contractor(notice.contractorId)}</td>
                <td>{notice.reason}</td>
                <td>{formatInstant(notice.raisedAt)}</td>
                <td>
                  <a href={`#/supervision/audit/RankingNotice/${encodeURIComponent(notice.noticeId)}`}>{st('auditOf', { what: st('noticesTitle') })}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
