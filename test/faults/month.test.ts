/**
 * `npm run test:faults` (issue 8, "Fault injection"): the scripted month (./month.ts) run twice
 * on fresh local stacks — once clean, once with the SDK fault injector (./injector.ts) in the
 * handlers' own DynamoDB and S3 clients and every S3 ObjectCreated delivered twice, delayed and
 * reordered — then compared.
 *
 *   FAULTS_SEED=<n>          reproduces a run (printed; a random one when absent in the full profile)
 *   FAULTS_PROFILE=ci|full   ci (npm test, and the default when CI=true): 2 proofs a day, 3 segments
 *                            in the lot, a fixed seed; full (npm run test:faults, npm run report): 4 and 6
 *   FAULTS_DAYS=<n>          only the first n days of the month (to look into a failure quickly)
 *
 * Verdict: every uploaded object has exactly one ingested evidence item (none lost, none extra);
 * every proof the script was answered for (201 accepted, 422 refused) is stored exactly once and
 * no other proof is; no task has two accepted proofs; audit entries are not doubled and their
 * counts by entity, action and status equal the clean run's (when the audit log exists; unused
 * upload slots of retried slot requests are counted apart); every failure the client saw was a retryable status (503 / 429 with
 * Retry-After, or the 409 of an Idempotency-Key in progress with Retry-After) and the same request
 * then succeeded; the statements and their CSV exports are byte-identical to the clean run's.
 *
 * What is normalised before the byte comparison (./labels.ts) — identifiers only, by the label
 * of the script step that was answered with them: ids the service draws from ULIDs (tender,
 * direct contract, proofs, inspections, orders, complaints, work orders, exports), the awarded
 * contract id (derived from the tender's), task ids (decoded into contract label, segment,
 * activity and window start), evidence ids and the UUIDs of S3 keys; and the statement's
 * `inputsDigest`, the sha-256 of its inputs, which hold those ids. Lists made only of such ids
 * (a line's sources, sorted by id by the service) are sorted again by label. Nothing else: no amount,
 * count, point, date, status, line or ordering. Times need no normalising: both runs read the
 * same virtual clock.
 */
import { describe, expect, it, vi } from 'vitest';
import { writeFigures, type FigureRow } from '../report/figures';
import { faultKinds, type FaultRates } from './injector';
import type { MonthResult, Profile } from './month';

const profileOverride = process.env['FAULTS_PROFILE'];
// As the fuzz suite: CI=true means the ci profile unless FAULTS_PROFILE says otherwise.
const profile: Profile = profileOverride === 'ci' || (profileOverride !== 'full' && (process.env['CI'] === 'true' || process.env['CI'] === '1')) ? 'ci' : 'full';
const seed = process.env['FAULTS_SEED'] !== undefined && process.env['FAULTS_SEED'] !== '' ? Number(process.env['FAULTS_SEED']) : profile === 'ci' ? 20_261_108 : Math.floor(Math.random() * 2 ** 31);
const rates: FaultRates = { dynamodb: 0.16, batch: 0.35, transactionConflict: 0.1, s3: 0.15 };
const minimumFaults = 1_000;

describe(`fault injection over a scripted month (profile ${profile}, seed ${seed})`, () => {
  it('loses nothing, duplicates nothing, and closes the month to byte-identical statements', async () => {
    const started = Date.now();
    const lines: string[] = [];
    const print = (line: string): void => {
      lines.push(line);
    };
    console.log(`faults: seed ${seed}, profile ${profile} (repeat: FAULTS_SEED=${seed} FAULTS_PROFILE=${profile} npm run test:faults)`);

    const { runMonth } = await import('./month');
    const clean = await runMonth({ mode: 'clean', seed, profile, rates, backoffFactor: 20, print });
    // A fresh module graph for the second run: its own SDK clients, handler singletons and clock.
    vi.resetModules();
    const { runMonth: runFaultyMonth } = await import('./month');
    const faulty = await runFaultyMonth({ mode: 'faulty', seed, profile, rates, backoffFactor: 20, print });
    for (const line of lines) console.log(line);

    const identical = compare(clean, faulty);
    const seen = faulty.client.failures;
    const badFailures = seen.filter((failure) => !failure.retryable || !failure.retriedOk);
    const byStatus = new Map<string, number>();
    for (const failure of seen) byStatus.set(`${failure.status}${failure.type === undefined ? '' : ` ${failure.type.replace('/problems/', '')}`}`, (byStatus.get(`${failure.status}${failure.type === undefined ? '' : ` ${failure.type.replace('/problems/', '')}`}`) ?? 0) + 1);
    const byRoute = new Map<string, number>();
    for (const failure of seen) byRoute.set(failure.route, (byRoute.get(failure.route) ?? 0) + 1);
    const injected = faulty.injector.totalInjected;
    const lost = faulty.verdict.evidenceLost.length + clean.verdict.evidenceLost.length;
    const proofsLost = faulty.verdict.proofsLost.length + clean.verdict.proofsLost.length;
    const duplicated =
      faulty.verdict.evidenceDuplicated.length + faulty.verdict.proofsDuplicated.length + faulty.verdict.tasksWithTwoAccepted.length + (faulty.verdict.auditDuplicated ?? 0) +
      clean.verdict.evidenceDuplicated.length + clean.verdict.proofsDuplicated.length + clean.verdict.tasksWithTwoAccepted.length + (clean.verdict.auditDuplicated ?? 0);
    // An upload slot (evidence `awaiting_upload`) whose answer was lost is issued again with a
    // new id on the retry: the first stays unused (no object; its TTL removes it after a week)
    // and its audit entry rightly says it was issued. Counted apart; every other kind must match.
    const slotKind = (kind: string): boolean => kind.startsWith('Evidence ') && kind.endsWith(' awaiting_upload');
    const kinds = [...new Set([...clean.verdict.auditKinds.keys(), ...faulty.verdict.auditKinds.keys()])];
    const extraSlots = kinds.filter(slotKind).reduce((sum, kind) => sum + (faulty.verdict.auditKinds.get(kind) ?? 0) - (clean.verdict.auditKinds.get(kind) ?? 0), 0);
    const auditDiff = kinds
      .filter((kind) => !slotKind(kind) && clean.verdict.auditKinds.get(kind) !== faulty.verdict.auditKinds.get(kind))
      .map((kind) => `${kind} ${clean.verdict.auditKinds.get(kind) ?? 0} → ${faulty.verdict.auditKinds.get(kind) ?? 0}`);
    const sameCounts = clean.proofs.length === faulty.proofs.length && clean.uploads === faulty.uploads;

    const rows: FigureRow[] = [
      ...faultKinds.map((kind) => ({ label: `faults injected: ${kind}`, value: faulty.injector.injected.get(kind) ?? 0 })),
      { label: 'faults injected (total)', value: injected, expected: `≥ ${minimumFaults.toLocaleString('en')}`, ok: injected >= minimumFaults },
      { label: 'S3 ObjectCreated deliveries (each event twice, reordered)', value: faulty.s3Deliveries },
      { label: 'SDK calls / attempts (faulty run)', value: `${faulty.injector.calls} / ${faulty.injector.attempts}` },
      { label: 'SDK retries (attempts beyond the first)', value: faulty.injector.retries },
      { label: 'SDK calls that failed after their retries (surfaced to a handler)', value: faulty.injector.surfaced },
      { label: 'API requests (clean / faulty, retries included)', value: `${clean.client.requests} / ${faulty.client.requests}` },
      { label: 'requests the client saw fail', value: seen.length },
      ...[...byStatus].map(([status, count]) => ({ label: `  answered ${status}`, value: count })),
      { label: 'client-seen failures: retryable status and succeeded on retry', value: badFailures.length === 0 ? 'yes' : `no (${badFailures.length})`, expected: 'yes', ok: badFailures.length === 0 },
      { label: 'failures seen by the client in the clean run', value: clean.client.failures.length, expected: '0', ok: clean.client.failures.length === 0 },
      { label: 'photos uploaded / proofs answered (clean = faulty)', value: `${faulty.uploads} / ${faulty.proofs.length}`, expected: `${clean.uploads} / ${clean.proofs.length}`, ok: sameCounts },
      { label: 'evidence items lost', value: lost, expected: '0', ok: lost === 0 },
      { label: 'proofs lost', value: proofsLost, expected: '0', ok: proofsLost === 0 },
      { label: `duplicated (evidence, proofs, accepted proofs per task${faulty.verdict.auditDuplicated === undefined ? '' : ', audit entries'})`, value: duplicated, expected: '0', ok: duplicated === 0 },
      { label: `statements and CSV exports byte-identical to the clean run (${clean.canonical.size})`, value: identical.length === 0 ? 'yes' : `no: ${identical.join(', ')}`, expected: 'yes', ok: identical.length === 0 && clean.canonical.size === 4 },
      { label: 'audit entries (clean / faulty)', value: `${clean.verdict.auditEntries ?? 'no audit log'} / ${faulty.verdict.auditEntries ?? 'no audit log'}` },
      ...(clean.verdict.auditEntries === undefined
        ? []
        : [
            { label: 'audit entries by entity, action and status equal to the clean run', value: auditDiff.length === 0 ? 'yes' : `no: ${auditDiff.join('; ')}`, expected: 'yes', ok: auditDiff.length === 0 },
            { label: 'unused upload slots left by retried slot requests (TTL 7 days)', value: extraSlots },
          ]),
      { label: 'ids left without a label (clean / faulty)', value: `${clean.unlabelledIds.length} / ${faulty.unlabelledIds.length}` },
      { label: 'month / duration clean, faulty (s)', value: `${faulty.month} / ${(clean.durationMs / 1000).toFixed(1)}, ${(faulty.durationMs / 1000).toFixed(1)}` },
    ];
    printTable(rows);
    if (byRoute.size > 0) console.log(`client-seen failures by route: ${[...byRoute].sort((a, b) => b[1] - a[1]).map(([route, count]) => `${route} ${count}`).join('; ')}`);
    if (badFailures.length > 0) console.log(`failures NOT retryable or not settled by a retry: ${JSON.stringify(badFailures.slice(0, 20))}`);
    for (const [what, items] of Object.entries({ ...faulty.verdict, objects: undefined, evidenceItems: undefined, auditDuplicated: undefined, auditEntries: undefined, auditKinds: undefined })) {
      if (Array.isArray(items) && items.length > 0) console.log(`faulty run ${what}: ${items.slice(0, 20).join(', ')}`);
    }
    const durationMs = Date.now() - started;
    writeFigures({
      suite: 'faults',
      profile,
      seed,
      rerun: `FAULTS_SEED=${seed} FAULTS_PROFILE=${profile} npm run test:faults`,
      rows,
      durationMs,
      finishedAt: new Date().toISOString(),
    });

    for (const row of rows) if (row.ok !== undefined) expect.soft(row.ok, `${row.label}: ${row.value} (expected ${row.expected})`).toBe(true);
  });
});

/** The names of canonical renderings that differ between the runs (with the first difference printed). */
function compare(clean: MonthResult, faulty: MonthResult): string[] {
  const differing: string[] = [];
  for (const [name, text] of clean.canonical) {
    const other = faulty.canonical.get(name);
    if (other === text) continue;
    differing.push(name);
    if (other === undefined) {
      console.log(`${name}: missing from the faulty run`);
      continue;
    }
    let at = 0;
    while (at < text.length && text[at] === other[at]) at += 1;
    console.log(`${name} differs at byte ${at}:\n  clean:  …${text.slice(Math.max(0, at - 120), at + 200)}\n  faulty: …${other.slice(Math.max(0, at - 120), at + 200)}`);
  }
  return differing;
}

function printTable(rows: readonly FigureRow[]): void {
  const width = Math.max(...rows.map((row) => row.label.length));
  const out = ['', `${'figure'.padEnd(width)}  value  (expected)`, `${'-'.repeat(width)}  ${'-'.repeat(24)}`];
  for (const row of rows) out.push(`${row.label.padEnd(width)}  ${String(row.value)}${row.expected === undefined ? '' : `  (${row.expected}${row.ok === true ? ' ✓' : ' ✗'})`}`);
  console.log(out.join('\n'));
}
