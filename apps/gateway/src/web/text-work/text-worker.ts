import { parentPort } from 'node:worker_threads';
import { type TextWorkerReply, type TextWorkerRequest } from './text-worker-pool.js';
import { isTextTaskName, runTextTask, type TextTasks } from './text-tasks.js';

// The worker thread's module: runs one named text task per message (see text-tasks.ts).
parentPort?.on('message', ({ id, name, input }: TextWorkerRequest) => {
  let reply: TextWorkerReply;
  try {
    if (!isTextTaskName(name)) throw new Error(`unknown text task ${name}`);
    reply = { id, result: runTextTask(name, input as TextTasks[typeof name]['input']) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
