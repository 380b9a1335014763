import type { ScheduleSource } from '../../domain/schedule/sweep';
import { defaultZone } from '../../domain/dates';
import { calendarOfYears, findStandard } from '../../domain/schedule/use-cases';
import { standardTemplateFor } from '../../domain/schedule/templates';
import { DynamoContractStore } from '../adapters/dynamodb/contract-store';
import { DynamoMonthFactsReader } from '../adapters/dynamodb/month-facts';
import { DynamoRankingNoticeStore } from '../adapters/dynamodb/ranking-notice-store';
import { DynamoScheduleStore } from '../adapters/dynamodb/schedule-store';
import { DynamoStatementStore } from '../adapters/dynamodb/statement-store';
import { DynamoTenantDirectory } from '../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../shared/clients';
import { env } from '../shared/env';
import { systemClock } from '../shared/system';
import type { MonthlyCloseDeps } from './monthly-close';

let deps: MonthlyCloseDeps | undefined;

/**
 * Built once per container. The facts reader derives the month's tasks from the schedule as
 * the sweep does (functions/events/missed-task-sweep.ts): the tenant's stored standard, else
 * the shipped template; the tenant's calendars; active exceptions only.
 */
export function monthlyCloseDeps(): MonthlyCloseDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const tenants = new DynamoTenantDirectory(client, table);
  const schedule = new DynamoScheduleStore(client, table);
  const source: ScheduleSource = {
    standard: (tenantId, ref) => findStandard(schedule, tenantId, ref),
    defaultStandard: async (_tenantId, serviceType) => standardTemplateFor(serviceType),
    calendar: (tenantId, years) => calendarOfYears(schedule, tenantId, years),
    exceptions: async (tenantId) => (await schedule.listExceptions(tenantId)).filter((exception) => exception.status === 'active'),
  };
  deps = {
    contracts: new DynamoContractStore(client, table),
    statements: new DynamoStatementStore(client, table),
    facts: new DynamoMonthFactsReader(client, table, { zoneOf: async (tenantId) => (await tenants.zoneOf(tenantId)) ?? defaultZone, schedule: source }),
    notices: new DynamoRankingNoticeStore(client, table),
    tenants,
    clock: systemClock,
  };
  return deps;
}
