export {
  JobTimeoutError,
  QueueClosedError,
  QueueFullError,
  WorkQueue,
  type RunOptions,
  type WorkQueueOptions,
} from './work-queue.js';
export {
  WorkerError,
  WorkerPool,
  type WorkerPoolOptions,
  type WorkerReply,
  type WorkerRequest,
  type WorkerRunOptions,
} from './worker-pool.js';
