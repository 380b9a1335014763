/**
 * 月考核 季排名, 红黑榜, 解约审查: GET /v1/rankings of one month or quarter, per service type,
 * as the API orders and scores them (the browser only lays them out).
 */
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { language } from '../../i18n';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { PageTitle, Score } from '../ui';
import { st } from './messages';
import { ServiceTypeSelect, serviceTypes, typeLabel, type ServiceType } from './service-type';
import { currentMonth, isMonth, isQuarter, periodLabel, quartersUpTo } from './months';
import { names, type Names } from './names';
import { previousMonth } from '../ui';


export interface RankingsQuery {
  readonly month?: string;
  readonly quarter?: string;
  readonly serviceType?: ServiceType;
}

export function rankingsQuery(query: URLSearchParams): RankingsQuery {
  const quarter = query.get('quarter') ?? '';
  const month = query.get('month') ?? '';
  const type = query.get('serviceType') ?? '';
  const serviceType = (serviceTypes as readonly string[]).includes(type) ? (type as ServiceType) : undefined;
  const period = isQuarter(quarter) ? { quarter } : { month: isMonth(month) ? month : previousMonth() };
  return { ...period, ...(serviceType === undefined ? {} : { serviceType }) };
}

export function rankingsPath(query: RankingsQuery): string {
  const params = new URLSearchParams();
  if (query.quarter !== undefined) params.set('quarter', query.quarter);
  else if (query.month !== undefined) params.set('month', query.month);
  if (query.serviceType !== undefined) params.set('serviceType', query.serviceType);
  return `/supervision/rankings?${params.toString()}`;
}

/** A contract's title (its id beside it) linking to its audit trail. */
export function ContractCell({ contractId, title: given, names: known }: { contractId: string; title?: string | undefined; names: Names }) {
  const title = given ?? known.contract(contractId);
  return (
    <>
      <span>{title}</span>
      {title === contractId ? null : (
        <>
          <br />
          <code class="muted">{contractId}</code>
        </>
      )}
    </>
  );
}

function PeriodFilters({ query }: { query: RankingsQuery }) {
  const [kind, setKind] = useState<'month' | 'quarter'>(query.quarter === undefined ? 'month' : 'quarter');
  const [month, setMonth] = useState(query.month ?? previousMonth());
  const quarters = quartersUpTo(currentMonth(), 8);
  const [quarter, setQuarter] = useState(query.quarter ?? quarters[0]!);
  const [serviceType, setServiceType] = useState<string>(query.serviceType ?? '');
  function submit(event: Event): void {
    event.preventDefault();
    const type = serviceType === '' ? {} : { serviceType: serviceType as ServiceType };
    navigate(rankingsPath(kind === 'month' ? { month, ...type } : { quarter, ...type }));
  }
  return (
    <form class="filters" onSubmit={submit}>
      <label>
        {st('periodKind')}
        <select value={kind} onChange={(event) => setKind((event.target as HTMLSelectElement).value as 'month' | 'quarter')}>
          <option value="month">{st('periodMonth')}</option>
          <option value="quarter">{st('periodQuarter')}</option>
        </select>
      </label>
      {kind === 'month' ? (
        <label>
          {st('month')}
          <input type="month" required value={month} max={currentMonth()} onInput={(event) => setMonth((event.target as HTMLInputElement).value)} />
        </label>
      ) : (
        <label>
          {st('quarter')}
          <select value={quarter} onChange={(event) => setQuarter((event.target as HTMLSelectElement).value)}>
            {quarters.map((candidate) => (
              <option key={candidate} value={candidate}>
                {periodLabel(candidate, language() === 'zh')}
              </option>
            ))}
          </select>
        </label>
      )}
      <ServiceTypeSelect value={serviceType} onChange={setServiceType} />
      <button type="submit" class="primary">
        {st('show')}
      </button>
    </form>
  );
}

type Standings = Schemas['Standings'];

function RankingTable({ ranking, names: known, quarter }: { ranking: Standings['rankings'][number]; names: Names; quarter: boolean }) {
  const zh = language() === 'zh';
  return (
    <section class="ranking">
      <h2>{st('rankingOf', { type: typeLabel(ranking.serviceType), period: periodLabel(ranking.period, zh) })}</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col" class="num">{st('rank')}</th>
            <th scope="col">{st('contract')}</th>
            <th scope="col">{st('contractor')}</th>
            <th scope="col" class="num">{st('scoreUnit')}</th>
            <th scope="col" class="num">{st('lateOrders')}</th>
            {quarter ? <th scope="col" class="num">{st('monthsBehind')}</th> : null}
            <th scope="col">{st('tieBreak')}</th>
            <th scope="col">{st('auditLink')}</th>
          </tr>
        </thead>
        <tbody>
          {ranking.rows.map((row) => (
            <tr key={row.contractId}>
              <td class="num">{row.rank}</td>
              <td>
                <ContractCell contractId={row.contractId} title={row.contractTitle} names={known} />
              </td>
              <td>{row.contractorName ?? known.contractor(row.contractorId)}</td>
              <td class="num">
                <Score x100={row.scoreX100} />
              </td>
              <td class="num">{row.lateOrders}</td>
              {quarter ? <td class="num">{row.months}</td> : null}
              <td>{row.tieBreak ?? ''}</td>
              <td>
                <a href={`#/supervision/audit/Contract/${encodeURIComponent(row.contractId)}`}>{st('auditOf', { what: st('contract') })}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ListBadge({ list }: { list: 'red' | 'black' | 'warning' }) {
  return <span class={`badge list-${list}`}>{st(`list_${list}`)}</span>;
}

function Lists({ standings, names: known }: { standings: Standings; names: Names }) {
  return (
    <section>
      <h2>{st('listsTitle')}</h2>
      {standings.lists.length === 0 ? (
        <p class="muted">{st('noLists')}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{st('list')}</th>
              <th scope="col">{st('contract')}</th>
              <th scope="col">{st('contractor')}</th>
              <th scope="col">{st('serviceType')}</th>
              <th scope="col" class="num">{st('scoreUnit')}</th>
              <th scope="col" class="num">{st('consecutiveMonthsBelow')}</th>
              <th scope="col">{st('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {standings.lists.map((entry) => (
              <tr key={`${entry.list}/${entry.contractId}`}>
                <td>
                  <ListBadge list={entry.list} />
                </td>
                <td>
                  <ContractCell contractId={entry.contractId} title={entry.contractTitle} names={known} />
                </td>
                <td>{entry.contractorName ?? known.contractor(entry.contractorId)}</td>
                <td>{typeLabel(entry.serviceType)}</td>
                <td class="num">
                  <Score x100={entry.scoreX100} />
                </td>
                <td class="num">{entry.consecutiveMonthsBelow}</td>
                <td>{entry.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TerminationReviews({ standings, names: known }: { standings: Standings; names: Names }) {
  const zh = language() === 'zh';
  return (
    <section>
      <h2>{st('terminationTitle')}</h2>
      {standings.terminationReviews.length === 0 ? (
        <p class="muted">{st('noTermination')}</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{st('contract')}</th>
              <th scope="col">{st('contractor')}</th>
              <th scope="col">{st('serviceType')}</th>
              <th scope="col">{st('quartersMean')}</th>
              <th scope="col">{st('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {standings.terminationReviews.map((review) => (
              <tr key={review.contractId}>
                <td>
                  <ContractCell contractId={review.contractId} title={review.contractTitle} names={known} />
                </td>
                <td>{review.contractorName ?? known.contractor(review.contractorId)}</td>
                <td>{typeLabel(review.serviceType)}</td>
                <td>
                  <ul class="plain">
                    {review.quarters.map((quarter) => (
                      <li key={quarter.quarter}>
                        {periodLabel(quarter.quarter, zh)}：<Score x100={quarter.meanX100} />
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{review.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function RankingsScreen({ query }: { query: RankingsQuery }) {
  const loaded = useLoad(async () => {
    const [standings, known] = await Promise.all([must(await api.GET('/v1/rankings', { params: { query } })), names()]);
    return { standings, names: known };
  }, [query.month, query.quarter, query.serviceType]);
  const zh = language() === 'zh';
  const period = query.quarter ?? query.month ?? '';
  const now = currentMonth();
  return (
    <>
      <PageTitle title={st('rankingsTitle')} />
      <PeriodFilters key={`${period}/${query.serviceType ?? ''}`} query={query} />
      {loaded.error !== undefined ? (
        <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      ) : loaded.data === undefined ? (
        <Loading />
      ) : (
        <>
          {loaded.data.standings.rankings.length === 0 ? (
            <div class="box info">
              <p>{st('noRankings', { period: periodLabel(period, zh) })}</p>
              {query.month !== undefined && query.month !== now ? (
                <p>
                  <a href={`#${rankingsPath({ ...query, month: now })}`}>{st('tryCurrentMonth', { month: periodLabel(now, zh) })}</a>
                </p>
              ) : null}
            </div>
          ) : (
            loaded.data.standings.rankings.map((ranking) => <RankingTable key={ranking.serviceType} ranking={ranking} names={loaded.data!.names} quarter={query.quarter !== undefined} />)
          )}
          <Lists standings={loaded.data.standings} names={loaded.data.names} />
          <TerminationReviews standings={loaded.data.standings} names={loaded.data.names} />
        </>
      )}
    </>
  );
}
