/**
 * `npm start`: the whole of xiuhua on one machine — DynamoDB Local, s3rver, the tables and
 * buckets of infra/definitions.ts, the demo district, and the HTTP API on 127.0.0.1:3000
 * served by the very handler modules Lambda runs.
 *
 *   npm start                        in memory, port 3000 (PORT=3001 or --port 3001 for another)
 *   npm start -- --persist [dir]     keep data in dir (default .local/data; or XIUHUA_DATA_DIR)
 *   npm start -- --verbose           also print DynamoDB Local's own output
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
// Only the light socket module is imported up front; the handlers, the SDK and the rest
// load after the port is ours, so a second `npm start` fails within a moment.
import { PortInUseError, serveHttp, startingUpResponse, type AdapterRequest, type AdapterResponse, type RunningHttpServer } from './http-server';
import type { ContractPricing } from '../../domain/contracts/schema';
import type { DemoSeedOutcome } from './seed';
import type { EndedMonthSeedOutcome } from './seed-ended-month';
import type { SeededContract } from './seed-procurement';
import type { LocalStack } from './stack';

const defaultPort = 3000;
const defaultDataDir = '.local/data';

interface StartOptions {
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly verbose: boolean;
}

/** A mistake in how `npm start` was called or where it runs; printed without a stack trace. */
class StartupProblem extends Error {
  override readonly name = 'StartupProblem';
}

function parseOptions(argv: readonly string[]): StartOptions | 'help' {
  // `--persist` takes an optional folder, which parseArgs cannot express: peel it off first.
  const args = [...argv];
  let persist: string | undefined;
  const at = args.findIndex((arg) => arg === '--persist' || arg.startsWith('--persist='));
  if (at !== -1) {
    const arg = args[at]!;
    const next = args[at + 1];
    if (arg.startsWith('--persist=')) {
      persist = arg.slice('--persist='.length) || defaultDataDir;
      args.splice(at, 1);
    } else if (next !== undefined && !next.startsWith('-')) {
      persist = next;
      args.splice(at, 2);
    } else {
      persist = defaultDataDir;
      args.splice(at, 1);
    }
  }
  let parsed: ReturnType<typeof parseArgs<{ options: { port: { type: 'string' }; verbose: { type: 'boolean' }; help: { type: 'boolean'; short: 'h' } } }>>;
  try {
    parsed = parseArgs({
      args,
      options: { port: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new StartupProblem(`${error instanceof Error ? error.message : String(error)} (npm start -- --help)`, { cause: error });
  }
  if (parsed.values.help === true) return 'help';
  const rawPort = parsed.values.port ?? process.env['PORT'] ?? String(defaultPort);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new StartupProblem(`the port must be a number from 1 to 65535, not '${rawPort}'`);
  const envDataDir = process.env['XIUHUA_DATA_DIR'];
  const dataDir = persist ?? (envDataDir === undefined || envDataDir === '' ? undefined : envDataDir);
  return { port, dataDir: dataDir === undefined ? undefined : resolve(dataDir), verbose: parsed.values.verbose === true };
}

const usage = `npm start [-- options]

  --port <n>         API port on 127.0.0.1 (default 3000, or $PORT)
  --persist [dir]    keep data in dir (default ${defaultDataDir}, or $XIUHUA_DATA_DIR); default: in memory
  --verbose          print DynamoDB Local's output too

  XIUHUA_EVENT_TIMER_MINUTES=<n>  run the scheduled handlers (missed-task sweep) every n minutes (default 60)
  -h, --help         this text`;

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(usage);
    return;
  }

  // The API port first, before any Java starts: a second `npm start` fails here at once.
  let dispatch: (request: AdapterRequest) => Promise<AdapterResponse> = async (request) => startingUpResponse(request.url);
  let http: RunningHttpServer;
  try {
    http = await serveHttp((request) => dispatch(request), { port: options.port });
  } catch (error) {
    if (error instanceof PortInUseError) {
      throw new StartupProblem(
        `port ${options.port} is in use — is another xiuhua local stack running? ` +
          `Set PORT=${options.port === defaultPort ? defaultPort + 1 : options.port + 1} (or --port) to run a second one.`,
        { cause: error },
      );
    }
    throw error;
  }

  const { DataDirInUseError, startLocalStack } = await import('./stack');
  // The handlers' modules and the seed load while Java boots (the stack waits on a child).
  const later = Promise.all([import('./http-adapter'), import('./seed')]);
  // Awaited below; until then a failed import must not count as an unhandled rejection.
  later.catch(() => undefined);

  let stack: LocalStack | undefined;
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) {
      // A second Ctrl-C: stop waiting. The exit handlers still kill Java.
      console.error(`${signal} again: exiting now`);
      process.exit(130);
    }
    shuttingDown = true;
    console.log(`\n${signal}: stopping the local stack…`);
    const results = await Promise.allSettled([http.close(), stack?.stop()]);
    const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    for (const failure of failed) console.error('[xiuhua-local] while stopping:', failure.reason);
    process.exit(failed.length === 0 ? 0 : 1);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, (received) => void shutdown(received));
  }

  const storageStarted = Date.now();
  try {
    stack = await startLocalStack({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.verbose ? { onJavaOutput: (line: string) => console.log(`  [dynamodb-local] ${line}`) } : {}),
    });
  } catch (error) {
    await http.close();
    if (error instanceof DataDirInUseError) throw new StartupProblem(error.message, { cause: error });
    throw error;
  }
  if (shuttingDown) return;

  const storageMs = Date.now() - storageStarted;
  let seeded: DemoSeedOutcome;
  let handlersMs: number;
  let seedMs: number;
  try {
    const [{ createHttpAdapter }, { seedDemo }] = await later;
    const handlersStarted = Date.now();
    const adapter = createHttpAdapter({
      serveWeb: true,
      env: stack.env,
      logger: {
        error: (message, error) => console.error(`[xiuhua-local] ${message}`, error),
        request: (line) => console.log(`${line.method} ${line.path} → ${line.status} (${line.ms} ms)`),
      },
    });
    // Import every handler now: a module that does not load fails `npm start`, not a request.
    await adapter.preload();
    handlersMs = Date.now() - handlersStarted;
    const seedStarted = Date.now();
    seeded = await seedDemo({ dynamodbEndpoint: stack.dynamodb.endpoint, tableName: stack.tables.main, dispatch: adapter.dispatch });
    seedMs = Date.now() - seedStarted;
    dispatch = adapter.dispatch;
  } catch (error) {
    // Stop what did start (Java, s3rver's folder, the lock) before reporting the failure.
    await Promise.allSettled([http.close(), stack.stop()]);
    throw error;
  }
  if (shuttingDown) return;
  // The scheduled handlers' first run prints what it did (the sweep's catch-up over the seeded
  // contracts): it goes before the banner, so the banner — tokens and examples — comes last.
  await startScheduledHandlers(stack).catch((error: unknown) => console.error('[xiuhua-local] the scheduled handlers did not start:', error));
  if (shuttingDown) return;
  // The statements, once the sweep has caught up over the seeded contracts (seed.ts seedDemoMonths says why).
  const endedStarted = Date.now();
  const { seedDemoMonths } = await import('./seed');
  const { ended } =
    'problem' in seeded.procurement
      ? { ended: { problem: 'the procurement seed is not complete' } }
      : await seedDemoMonths({ dynamodbEndpoint: stack.dynamodb.endpoint, tableName: stack.tables.main, dispatch, procurement: seeded.procurement, persisted: seeded.segments === 'skipped' });
  seedMs += Date.now() - endedStarted;
  if (shuttingDown) return;
  const phases = `storage ${seconds(storageMs)}, handlers ${seconds(handlersMs)}, demo seed ${seconds(seedMs)}`;
  await printBanner({ http, stack, seeded, ended, ready: `${seconds(Date.now() - started)} (${phases})` });
}

/**
 * The scheduled handlers (the missed-task sweep) on timers, as EventBridge Scheduler runs
 * them in AWS: once now, catching up any backlog, then every hour (XIUHUA_EVENT_TIMER_MINUTES
 * to change it). Returns after the first run, which the banner waits for. The demo tenant joins the tenant registry the sweeps read first; the seed
 * is the better home for that line once the seed's owner moves it there.
 */
async function startScheduledHandlers(stack: LocalStack): Promise<void> {
  const [{ timerMinutesFromEnv, startEventTimers }, { DynamoDBDocumentClient }, { localDynamoClient }, { DynamoTenantDirectory }, { demoTenantId }] =
    await Promise.all([
      import('./event-timers'),
      import('@aws-sdk/lib-dynamodb'),
      import('./aws'),
      import('../../functions/adapters/dynamodb/task-outcome-store'),
      import('./seed'),
    ]);
  const everyMinutes = timerMinutesFromEnv();
  const client = DynamoDBDocumentClient.from(localDynamoClient(stack.dynamodb.endpoint));
  await new DynamoTenantDirectory(client, stack.tables.main).register(demoTenantId);
  // The handlers read their configuration from the environment, as in Lambda.
  Object.assign(process.env, stack.env);
  const timers = startEventTimers(everyMinutes === undefined ? {} : { everyMinutes });
  // Photos posted to s3rver reach proof ingest as S3 would notify it (infra/local/object-events.ts).
  const { startObjectEventHandlers } = await import('./object-events');
  startObjectEventHandlers(stack.s3);
  // Done when the first run has printed its lines; its failure is reported, not thrown.
  await timers.firstRun.catch((error: unknown) => console.error('[xiuhua-local] a scheduled handler failed at start:', error));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function printBanner(input: { http: RunningHttpServer; stack: LocalStack; seeded: DemoSeedOutcome; ended: EndedMonthSeedOutcome | { readonly problem: string }; ready: string }): Promise<void> {
  const { http, stack, seeded, ended } = input;
  const { demoContractorCode, demoContractorId, demoOpen311ApiKey, demoOpen311Client, demoTenant, demoToken, demoUsers } = await import('./seed');
  const { formatYuan, fen } = await import('../../domain/money');
  const api = http.url;
  const tokens = await Promise.all(demoUsers.map(async (user) => ({ user, token: await demoToken(user) })));
  const variable = (role: string): string => `XIUHUA_TOKEN_${role.toUpperCase()}`;
  const segments =
    seeded.segments === 'skipped'
      ? 'already seeded (kept as you left it)'
      : `${seeded.segments.featureCount} segments imported through POST /v1/segments/imports (${seeded.segments.created} created, ${seeded.segments.updated} updated, ${seeded.segments.unchanged} unchanged)`;
  const procurement = seeded.procurement;
  const nameOf = (contractorId: string | undefined): string =>
    'problem' in procurement ? '?' : (procurement.contractors.find((contractor) => contractor.contractorId === contractorId)?.name ?? contractorId ?? '?');
  const priced = (pricing: ContractPricing): string =>
    pricing.kind === 'lump_sum'
      ? `lump sum ${formatYuan(fen(pricing.monthlyFen))}/month`
      : pricing.kind === 'lump_sum_per_m2'
        ? `lump sum ${pricing.milliFenPerM2Year / 100_000} 元/m²·年`
        : `unit rate, ${pricing.items.length} items (${pricing.items.map((item) => item.nameZh).join(', ')})`;
  const contractLine = (contract: SeededContract): string =>
    `${contract.contractId} ${contract.status}: ${contract.serviceType}, ${priced(contract.pricing)}, ${contract.segmentCount} segments, ` +
    `${contract.startDate} to ${contract.endDate}, ${contract.origin === 'tender' ? 'awarded' : 'direct'} — ${nameOf(contract.contractorId)}`;
  const procurementLines =
    'problem' in procurement
      ? [`  Procurement     not complete (data kept as you left it): ${procurement.problem}`]
      : [
          ...procurement.contractors.map(
            (contractor, index) =>
              `  ${index === 0 ? 'Contractors   ' : '              '}  ${contractor.contractorId} ${contractor.name} (USCC ${contractor.code})` +
              `${contractor.contractorId === demoContractorId ? ' — the contractor token\'s company' : ''}`,
          ),
          `  Tender          ${procurement.tender.tenderId} ${procurement.tender.status}: ${procurement.tender.title} (${procurement.tender.lotId} to ${nameOf(procurement.tender.awardedContractorId)})`,
          `  Contracts       ${contractLine(procurement.contracts.cleaning)}`,
          `                  ${contractLine(procurement.contracts.municipal)}`,
          'problem' in ended
            ? `  Ended month     not seeded (data kept as you left it): ${ended.problem}`
            : `  Ended month     ${contractLine(ended.contract)}; its ${ended.month} statement ${ended.statement.status}${ended.statement.reviewedBy === undefined ? '' : ` by ${ended.statement.reviewedBy}`} — demo-finance-2 approves it in the console`,
        ];
  const data =
    stack.dataDir === undefined ? 'in memory — gone when you stop (npm start -- --persist keeps it)' : `kept in ${stack.dataDir}`;
  const lines = [
    '',
    `xiuhua local stack — ready in ${input.ready}`,
    '',
    `  API             ${api}`,
    `  OpenAPI         ${api}/v1/openapi.json`,
    `  DynamoDB Local  ${stack.dynamodb.endpoint}  (java pid ${stack.dynamodb.javaPid}; the jar listens on all interfaces)`,
    `  S3 (s3rver)     ${stack.s3.endpoint}  (buckets ${stack.buckets.proofs}, ${stack.buckets.exports}; key S3RVER/S3RVER)`,
    `  Data            ${data}`,
    `  Demo district   ${demoTenant.name} [${demoTenant.tenantId}]: ${segments}`,
    ...procurementLines,
    `  Open311         ${api}/open311/discovery.xml; api_key of ${demoOpen311Client.client}: ${demoOpen311ApiKey} (DEV ONLY)`,
    '',
    'Dev bearer tokens — DEV ONLY, signed with the local key in infra/local/dev-auth.ts, valid 12 h:',
    ...tokens.map(({ user, token }) =>
      `export ${variable(user.role)}='${token}'${user.contractorId === undefined ? '' : `   # contractor ${demoContractorId} (USCC ${demoContractorCode})`}`,
    ),
    '',
    'Try (paste the export lines above first):',
    `  curl -s -H "authorization: Bearer $${variable('procurement')}" '${api}/v1/segments?grade=primary&limit=5'`,
    `  curl -s ${api}/v1/openapi.json`,
    `  curl -s -X POST -H "authorization: Bearer $${variable('contractor')}" -H 'content-type: application/json' \\`,
    `    -d '{"name":"试验路","street":"南京西路街道","grade":"branch","geometry":{"type":"LineString","coordinates":[[121.455,31.228],[121.456,31.229]]}}' \\`,
    `    ${api}/v1/segments          # 403: contractors may not register segments`,
    `  curl -s -H "authorization: Bearer $${variable('contractor')}" '${api}/v1/contracts?status=active'   # its own cleaning contract only`,
    `  curl -s '${api}/open311/v2/services.xml?jurisdiction_id=${demoTenant.tenantId}'`,
    `  curl -s -d 'api_key=${demoOpen311ApiKey}' -d 'jurisdiction_id=${demoTenant.tenantId}' -d 'service_code=CL-LITTER' \\`,
    `    -d 'lat=31.2232' -d 'long=121.4456' --data-urlencode 'description=人行道上有纸屑' ${api}/open311/v2/requests.xml   # a citizen's report as the demo app files it; service_notice says where it went`,
    '',
    `Ctrl-C stops everything (pid ${process.pid}).`,
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  if (error instanceof StartupProblem) {
    console.error(`xiuhua: ${error.message}`);
  } else {
    console.error('xiuhua: the local stack could not start:', error);
  }
  // The 'exit' handlers kill any Java child and drop the data-folder lock.
  process.exit(1);
});
