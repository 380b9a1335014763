import type { ScheduleDeps } from '../../../domain/schedule/use-cases';
import { DynamoScheduleStore } from '../../adapters/dynamodb/schedule-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: ScheduleDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function scheduleDeps(): ScheduleDeps {
  deps ??= { schedule: new DynamoScheduleStore(documentClient(), env.mainTable), clock: systemClock, ids: ulidIds };
  return deps;
}
