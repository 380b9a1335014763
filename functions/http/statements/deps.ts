import { defaultZone } from '../../../domain/dates';
import type { StatementDeps } from '../../../domain/payments/use-cases';
import type { ScheduleSource } from '../../../domain/schedule/sweep';
import { standardTemplateFor } from '../../../domain/schedule/templates';
import { calendarOfYears, findStandard } from '../../../domain/schedule/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoMonthFactsReader } from '../../adapters/dynamodb/month-facts';
import { DynamoScheduleStore } from '../../adapters/dynamodb/schedule-store';
import { DynamoStatementStore } from '../../adapters/dynamodb/statement-store';
import { DynamoTenantDirectory } from '../../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock } from '../../shared/system';

let deps: StatementDeps | undefined;

/**
 * Built once per container, at first use. The facts reader derives the month's tasks from
 * the schedule as the sweep does (functions/events/missed-task-sweep.ts).
 */
export function statementDeps(): StatementDeps {
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
    statements: new DynamoStatementStore(client, table),
    facts: new DynamoMonthFactsReader(client, table, { zoneOf: async (tenantId) => (await tenants.zoneOf(tenantId)) ?? defaultZone, schedule: source }),
    contracts: new DynamoContractStore(client, table),
    tenants,
    clock: systemClock,
  };
  return deps;
}
