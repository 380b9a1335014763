import type { NoticeDeps } from '../../../domain/payments/standings';
import { DynamoRankingNoticeStore } from '../../adapters/dynamodb/ranking-notice-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';

let deps: Pick<NoticeDeps, 'notices'> | undefined;

/** Built once per container, at first use. */
export function noticeDeps(): Pick<NoticeDeps, 'notices'> {
  deps ??= { notices: new DynamoRankingNoticeStore(documentClient(), env.mainTable) };
  return deps;
}
