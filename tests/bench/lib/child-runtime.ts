import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../infra/local/dynamodb';

/** The repository root: the child runs `infra/local/start.ts` from here, as `npm start` does. */
export const ROOT = resolve(import.meta.dirname, '../../..');
const READY = 'Ctrl-C stops everything.';
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

/** Thrown when the child runtime does not start, or its endpoints cannot be read from its output. */
export class ChildRuntimeError extends Error {
  override readonly name = 'ChildRuntimeError';
}

export interface ChildRuntime {
  /** Base URL of the API. */
  readonly url: string;
  /** The DynamoDB Local endpoint the runtime printed. */
  readonly endpoint: string;
  readonly tableName: string;
  /** The dev issuer key file the child uses; tokens minted with it are accepted. */
  readonly identityFile: string;
  /** Process ids of the runtime and of DynamoDB Local's Java process, read from `/proc` when possible. */
  readonly pids: { readonly runtime: number; readonly java?: number };
  /** Everything the child printed so far (the tail). */
  output(): string;
  /**
   * Ctrl-C for the child (SIGINT), as a person would stop `npm start`; waits for
   * it to exit and makes sure DynamoDB Local's Java process went with it
   * (`leftBehind`: some process of the group had to be killed). Safe to call
   * more than once.
   */
  stop(): Promise<{ readonly exitCode: number | null; readonly leftBehind: boolean }>;
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((done) => (child.exitCode !== null ? done(child.exitCode) : child.once('exit', done)));

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

/** Whether any process is still in the process group `groupId`. */
function groupAlive(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes of process group `groupId` by command name, from `/proc` (Linux); empty elsewhere. */
function groupMembers(groupId: number): Map<string, number> {
  const members = new Map<string, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return members;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command sits in parentheses and may itself hold spaces or parentheses.
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === groupId) members.set(command, Number(pid));
    } catch {
      // The process ended while being read.
    }
  }
  return members;
}

/**
 * Starts `infra/local/start.ts` as a child process on a free port, with a
 * temporary dev identity and muted request logs (demo data included: it brings
 * the platform admin `admin`), and waits until it says it is ready. The child
 * leads its own process group, so DynamoDB Local's Java process (its child) can
 * be found and ended even if the runtime dies. `nodeArgs` go to the runtime's
 * Node (`['--cpu-prof']` to profile it).
 * @example
 * const runtime = await startChildRuntime();
 * try { await fetch(`${runtime.url}/v1/openapi.json`); } finally { await runtime.stop(); }
 */
export async function startChildRuntime(
  options: { nodeArgs?: readonly string[] } = {},
): Promise<ChildRuntime> {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'hromada-bench-'));
  const identityFile = join(folder, 'dev-identity.json');
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', 'infra/local/start.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DEV_IDENTITY_FILE: identityFile, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const groupId = child.pid;
  if (groupId === undefined) throw new ChildRuntimeError('Could not start the local runtime process.');
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  // Last resort if this process ends without stop(): nothing of the group may outlive it.
  const killGroup = () => {
    if (groupAlive(groupId)) process.kill(-groupId, 'SIGKILL');
  };
  process.once('exit', killGroup);
  // The child is in its own group, so a Ctrl-C in the terminal reaches only this process: pass it on.
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the local runtime…\n`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let stopped: ReturnType<ChildRuntime['stop']> | undefined;
  const stop = (): ReturnType<ChildRuntime['stop']> => {
    stopped ??= (async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      const exitCode = await Promise.race([exited(child), sleep(STOP_TIMEOUT_MS).then(() => undefined)]);
      // Java is stopped by the runtime on SIGINT; give it a moment to go, then make sure.
      const deadline = Date.now() + 5_000;
      while (groupAlive(groupId) && Date.now() < deadline) await sleep(100);
      const leftBehind = groupAlive(groupId);
      killGroup();
      process.removeListener('exit', killGroup);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      rmSync(folder, { recursive: true, force: true });
      return { exitCode: exitCode === undefined ? null : exitCode, leftBehind };
    })();
    return stopped;
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!output.includes(READY)) {
    if (child.exitCode !== null) {
      await stop();
      throw new ChildRuntimeError(`The local runtime exited early (code ${child.exitCode}):\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new ChildRuntimeError(
        `The local runtime was not ready within ${START_TIMEOUT_MS / 1000} s:\n${output}`,
      );
    }
    await sleep(50);
  }

  const url = /Hromada API\s+(http:\/\/\S+)/.exec(output)?.[1];
  const dynamo = /DynamoDB\s+(http:\/\/\S+) \(table ([^,)]+)/.exec(output);
  if (!url || !dynamo?.[1] || !dynamo[2]) {
    await stop();
    throw new ChildRuntimeError(`Could not read the API and DynamoDB endpoints from:\n${output}`);
  }
  const java = groupMembers(groupId).get('java');
  return {
    url,
    endpoint: dynamo[1],
    tableName: dynamo[2],
    identityFile,
    pids: { runtime: groupId, ...(java === undefined ? {} : { java }) },
    output: () => output,
    stop,
  };
}
