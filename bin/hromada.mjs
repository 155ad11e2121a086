#!/usr/bin/env node
// `npx hromada …`: the project's command line, written in TypeScript and run
// through tsx's loader, so that it needs no build step. npx runs it with the
// project's own Node (the `node` devDependency); started directly it runs on
// whatever `node` is first on the PATH, which must be able to load TypeScript
// through a module hook (Node 20.6 or newer).
import module from 'node:module';

if (typeof module.register !== 'function') {
  process.stderr.write(
    `hromada needs Node.js 20.6 or newer to load its TypeScript; this is ${process.version}. ` +
      "Run it as 'npx hromada …' from the repository, which uses the project's Node 22.\n",
  );
  process.exit(2);
}

const { register } = await import('tsx/esm/api');
register();
const { runHromada } = await import('../infra/cli/hromada.ts');
process.exitCode = await runHromada(process.argv.slice(2));
