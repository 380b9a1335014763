import { readStandings, type Standings } from '../../../domain/payments/standings';
import { ok, route } from '../../shared/http';
import { nameReader, type NameIndex } from '../shared/names';
import { rankingDeps } from './deps';
import { getRankingsRoute } from './routes';

export const getRankingsHandler = route(getRankingsRoute, async ({ actor, query }) => {
  const standings = await readStandings(rankingDeps(), actor, query);
  return ok(await named(actor.tenantId, standings));
});

interface Named {
  readonly contractId: string;
  readonly contractorId: string;
}

/** Names beside ids (issue 15): contract titles and contractors' names of every row, one BatchGet. */
async function named(tenantId: string, standings: Standings): Promise<Standings> {
  const rows: Named[] = [...standings.rankings.flatMap((ranking) => ranking.rows), ...standings.lists, ...standings.terminationReviews];
  if (rows.length === 0) return standings;
  const index = await nameReader()(tenantId, { contractIds: new Set(rows.map((row) => row.contractId)), contractorIds: new Set(rows.map((row) => row.contractorId)) });
  return {
    ...standings,
    rankings: standings.rankings.map((ranking) => ({ ...ranking, rows: ranking.rows.map((row) => withNames(row, index)) })),
    lists: standings.lists.map((entry) => withNames(entry, index)),
    terminationReviews: standings.terminationReviews.map((review) => withNames(review, index)),
  };
}

function withNames<T extends Named>(row: T, index: NameIndex): T & { contractTitle?: string; contractorName?: string } {
  const contractTitle = index.contracts.get(row.contractId);
  const contractorName = index.contractors.get(row.contractorId);
  return { ...row, ...(contractTitle === undefined ? {} : { contractTitle }), ...(contractorName === undefined ? {} : { contractorName }) };
}
