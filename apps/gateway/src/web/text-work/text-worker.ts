import { parentPort } from 'node:worker_threads';
// Types only (erased when compiled): the worker loads nothing from @lateral/work, so its
// SWC-compiled copy under node_modules/.cache (see text-worker-script.ts) needs no lib build.
import type { WorkerReply, WorkerRequest } from '@lateral/work';
import { isTextTaskName, runTextTask, type TextTasks } from './text-tasks.js';

// The worker thread's module: runs one named text task per message (see text-tasks.ts).
parentPort?.on('message', ({ id, task }: WorkerRequest<{ name: string; input: unknown }>) => {
  let reply: WorkerReply<unknown>;
  try {
    const { name, input } = task;
    if (!isTextTaskName(name)) throw new Error(`unknown text task ${name}`);
    reply = { id, result: runTextTask(name, input as TextTasks[typeof name]['input']) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
