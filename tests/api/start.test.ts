import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb';

/**
 * `npm start` as a newcomer runs it: a child process, its printed tokens pasted
 * into requests, Ctrl-C at the end. Run with the project's Node 22 and tsx's
 * loader (`node --import tsx`), as the npm script does: the tsx CLI would stand
 * between the signal and the runtime, and gives up on a child whose event loop
 * is busy (the demo data's stream records) when Ctrl-C arrives.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const identityFolder = mkdtempSync(join(tmpdir(), 'hromada-start-'));

afterAll(() => rmSync(identityFolder, { recursive: true, force: true }));

function start(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(NODE, ['--import', 'tsx', 'infra/local/start.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DEV_IDENTITY_FILE: join(identityFolder, 'identity.json'),
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitFor(output: () => string, text: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!output().includes(text)) {
    if (child.exitCode !== null) throw new Error(`exited early (${child.exitCode}):\n${output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within 60 s:\n${output()}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((done) =>
    child.exitCode !== null ? done(child.exitCode) : child.once('exit', done),
  );

async function listening(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('serves the API, the docs and the demo data, prints working tokens, and Ctrl-C stops Java too', async () => {
    const port = await freePort();
    const { child, output } = start([], { PORT: String(port) });
    await waitFor(output, 'Ctrl-C stops everything', child);
    const api = `http://127.0.0.1:${port}`;
    const dynamo = /DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1] as string;
    const councilToken = /TOKEN_COUNCIL_1="([^"]+)"/.exec(output())?.[1];

    expect(output()).toContain(`http://127.0.0.1:${port}/docs`);
    expect(councilToken).toBeDefined();
    expect((await fetch(`${api}/v1/openapi.json`)).status).toBe(200);
    expect((await fetch(`${api}/docs`)).headers.get('content-type')).toContain('text/html');
    const members = await fetch(`${api}/v1/communities/demo/members`, {
      headers: { authorization: `Bearer ${councilToken}` },
    });
    expect(members.status).toBe(200);
    expect(await listening(dynamo)).toBe(true);

    child.kill('SIGINT');

    expect(await exited(child)).toBe(0);
    expect(await listening(dynamo)).toBe(false);
    expect(await listening(api)).toBe(false);
  });

  it('starts empty with --empty', async () => {
    const port = await freePort();
    const { child, output } = start(['--empty'], { PORT: String(port) });
    await waitFor(output, 'Ctrl-C stops everything', child);

    const response = await fetch(`http://127.0.0.1:${port}/v1/communities/demo`);

    expect(response.status).toBe(404);
    expect(output()).not.toContain('TOKEN_');
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  it('keeps the tables across restarts with --data DIR', async () => {
    const dataDir = join(identityFolder, 'db');
    const first = start(['--data', dataDir], { PORT: String(await freePort()) });
    await waitFor(first.output, 'Ctrl-C stops everything', first.child);
    first.child.kill('SIGINT');
    expect(await exited(first.child)).toBe(0);

    const port = await freePort();
    const second = start(['--data', dataDir], { PORT: String(port) });
    await waitFor(second.output, 'Ctrl-C stops everything', second.child);
    const community = await fetch(`http://127.0.0.1:${port}/v1/communities/demo`);
    second.child.kill('SIGINT');

    expect(second.output()).toContain('already there');
    expect(community.status).toBe(200);
    expect(await exited(second.child)).toBe(0);
  });

  it('prints a token with npm run token that the API accepts for that subject', async () => {
    const port = await freePort();
    const { child, output } = start([], { PORT: String(port) });
    await waitFor(output, 'Ctrl-C stops everything', child);
    const tokenCli = spawn(NODE, [TSX, 'infra/local/token.ts', '--sub', 'council-1', '--community', 'demo'], {
      cwd: ROOT,
      env: { ...process.env, DEV_IDENTITY_FILE: join(identityFolder, 'identity.json') },
    });
    let token = '';
    tokenCli.stdout.on('data', (chunk) => (token += chunk));
    expect(await exited(tokenCli)).toBe(0);

    const members = await fetch(`http://127.0.0.1:${port}/v1/communities/demo/members`, {
      headers: { authorization: `Bearer ${token.trim()}` },
    });
    child.kill('SIGINT');

    expect(members.status).toBe(200);
    expect(await exited(child)).toBe(0);
  });

  it('names the Debian package to install when Java is missing', async () => {
    const { child, output } = start([], { PATH: '/nonexistent', PORT: '0' });

    expect(await exited(child)).toBe(1);
    expect(output()).toContain('apt-get install -y openjdk-17-jre-headless');
  });
});
