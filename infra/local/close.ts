import { parseArgs } from 'node:util';
import { envNames } from '../definitions';

/**
 * `npm run close -- --month YYYY-MM [--tenant demo-jingan] [--dynamodb http://127.0.0.1:PORT]`
 *
 * The monthly close (issue 7) by hand against the local stack that `npm start` runs: it
 * starts nothing, and calls the same module the schedule runs (functions/events/monthly-
 * close.ts, step `close`) in this process, pointed at that stack's DynamoDB Local. DynamoDB
 * Local listens on a free port, which `npm start` prints ("DynamoDB Local http://..."): pass
 * it with --dynamodb, or export DYNAMODB_ENDPOINT. Without --tenant, every registered tenant.
 * Rerunning is safe: an unchanged contract-month writes nothing.
 */

const usage = `npm run close -- --month YYYY-MM [--tenant <id>]... [--dynamodb <endpoint printed by npm start>]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { month: { type: 'string' }, tenant: { type: 'string', multiple: true }, dynamodb: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    console.log(usage);
    return;
  }
  if (values.month === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new Error(`--month YYYY-MM is required (${usage})`);
  const endpoint = values.dynamodb ?? process.env[envNames.dynamodbEndpoint];
  if (endpoint === undefined || endpoint === '') throw new Error(`which DynamoDB Local? pass --dynamodb with the endpoint npm start printed (${usage})`);

  // The handler's environment, as the local stack gives it (infra/local/resources.ts), set
  // before the handler module and its clients load.
  const { localEnvironment } = await import('./resources');
  Object.assign(process.env, localEnvironment({ dynamodb: endpoint, s3: process.env[envNames.s3Endpoint] ?? 'http://127.0.0.1:1' }));
  const { handler } = await import('../../functions/events/monthly-close');
  const result = (await handler({ step: 'close', month: values.month, ...(values.tenant === undefined ? {} : { tenants: values.tenant }) })) as {
    reports: { tenantId: string; month: string; computed: number; unchanged: number; skipped: number; failed: number; contracts: { contractId: string; outcome: string; error?: string; reason?: string }[] }[];
    noticesRaised: number;
  };
  for (const report of result.reports) {
    console.log(`${report.tenantId} ${report.month}: ${report.computed} computed, ${report.unchanged} unchanged, ${report.skipped} skipped, ${report.failed} failed`);
    for (const contract of report.contracts) {
      if (contract.outcome === 'failed' || contract.outcome === 'skipped') console.log(`  ${contract.contractId} ${contract.outcome}: ${contract.error ?? contract.reason ?? ''}`);
    }
  }
  console.log(`notices raised to procurement: ${result.noticesRaised}`);
  if (result.reports.some((report) => report.failed > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
