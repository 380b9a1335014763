import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eventHandlers, type EventHandlerManifest } from '../../functions/events/manifest';

/** The repository root, which manifest entries are relative to (not imported from the CDK construct: too heavy here). */
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The local stack's stand-in for EventBridge Scheduler (DESIGN §5 "timers for the sweeps"):
 * every handler of functions/events/manifest.ts is imported from its entry, the module
 * Lambda runs, and invoked with the manifest's payload (what the schedule sends) once at
 * start and then every `everyMinutes` — or every XIUHUA_EVENT_TIMER_MINUTES minutes for all
 * of them, to watch a sweep without waiting an hour.
 */

export interface EventTimerOptions {
  /** Overrides every handler's period, in minutes. */
  readonly everyMinutes?: number;
  /** Where lines go; console.log by default. */
  readonly print?: (line: string) => void;
  /** Manifest entries to run; default: all of them. */
  readonly handlers?: readonly EventHandlerManifest[];
}

export interface EventTimers {
  /** Resolves when the first run of every handler (including its catch-up) has finished. */
  readonly firstRun: Promise<void>;
  stop(): void;
}

type Handler = (event: unknown) => Promise<unknown>;

/** Most invocations at start while a handler reports a backlog (`caughtUp: false`). */
const maxCatchUpRuns = 20;

/** The XIUHUA_EVENT_TIMER_MINUTES override, if set; a bad value is an error, not ignored. */
export function timerMinutesFromEnv(value: string | undefined = process.env['XIUHUA_EVENT_TIMER_MINUTES']): number | undefined {
  if (value === undefined || value === '') return undefined;
  const minutes = Number(value);
  if (!(minutes > 0) || !Number.isFinite(minutes)) throw new RangeError(`XIUHUA_EVENT_TIMER_MINUTES must be a positive number of minutes, not '${value}'`);
  return minutes;
}

export function startEventTimers(options: EventTimerOptions = {}): EventTimers {
  const print = options.print ?? ((line: string) => console.log(line));
  const intervals: NodeJS.Timeout[] = [];
  let stopped = false;
  const first: Promise<void>[] = [];
  for (const manifest of options.handlers ?? eventHandlers) {
    const minutes = options.everyMinutes ?? manifest.everyMinutes;
    let loading: Promise<Handler> | undefined;
    const handler = (): Promise<Handler> => {
      loading ??= import(pathToFileURL(join(projectRoot, manifest.entry)).href).then((module: { handler?: unknown }) => {
        if (typeof module.handler !== 'function') throw new Error(`${manifest.entry} exports no handler`);
        return module.handler as Handler;
      });
      return loading;
    };
    let running = false;
    /** One invocation; true when the handler reports more work left (a backlog). */
    const invoke = async (): Promise<boolean> => {
      if (running || stopped) return false;
      running = true;
      try {
        const result = await (await handler())(structuredClone(manifest.input));
        const line = describeResult(manifest.name, result);
        if (line !== undefined) print(line);
        return hasBacklog(result);
      } catch (error) {
        print(`[${manifest.name}] failed: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      } finally {
        running = false;
      }
    };
    first.push(
      (async () => {
        for (let run = 0; run < maxCatchUpRuns && (await invoke()); run += 1);
      })(),
    );
    const interval = setInterval(() => void invoke(), minutes * 60_000);
    interval.unref();
    intervals.push(interval);
  }
  return {
    firstRun: Promise.all(first).then(() => undefined),
    stop() {
      stopped = true;
      for (const interval of intervals) clearInterval(interval);
    },
  };
}

interface SweepLikeResult {
  readonly recorded?: unknown;
  readonly tenants?: readonly { readonly tenantId?: unknown; readonly recorded?: unknown; readonly caughtUp?: unknown }[];
}

/** A line when the run recorded something; quiet otherwise (an hourly "nothing" is noise). */
function describeResult(name: string, result: unknown): string | undefined {
  const sweep = (result ?? {}) as SweepLikeResult;
  if (typeof sweep.recorded !== 'number' || sweep.recorded === 0) return undefined;
  const perTenant = (sweep.tenants ?? [])
    .filter((tenant) => typeof tenant.recorded === 'number' && tenant.recorded > 0)
    .map((tenant) => `${String(tenant.tenantId)} ${String(tenant.recorded)}${tenant.caughtUp === false ? ' (more to catch up)' : ''}`);
  return `[${name}] recorded ${sweep.recorded} missed task${sweep.recorded === 1 ? '' : 's'}: ${perTenant.join(', ')}`;
}

function hasBacklog(result: unknown): boolean {
  return ((result ?? {}) as SweepLikeResult).tenants?.some((tenant) => tenant.caughtUp === false) ?? false;
}
