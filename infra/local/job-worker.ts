import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { JobRequest, JobResponse, QueuedJobModule } from './job-runner';

/**
 * The local runtime's job worker: a thread of its own (started by
 * `job-runner.ts` with tsx as its loader) that runs queued jobs one at a time,
 * so that a job's long synchronous computation blocks neither the HTTP server
 * nor the stream poller. It imports the job's module as the runtime would
 * import a handler and calls its `runJob`.
 */
const { root } = workerData as { root: string };
const port = parentPort;
if (!port) throw new Error('job-worker.ts runs only as a worker thread');

port.on('message', async (request: JobRequest) => {
  let response: JobResponse;
  try {
    const module = (await import(
      pathToFileURL(resolve(root, request.entry)).href
    )) as Partial<QueuedJobModule>;
    if (typeof module.runJob !== 'function') throw new Error(`${request.entry} does not export runJob`);
    port.postMessage({ id: request.id, started: true } satisfies JobResponse);
    const outcome = await module.runJob(request.event, { timeLimitMs: request.timeLimitMs });
    response = { id: request.id, ok: true, outcome: String(outcome) };
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response);
});
