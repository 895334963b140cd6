/** One decode, as sent to a HEIC worker (a WorkerRequest's task from @lateral/work). */
export interface HeicWorkerTask {
  /** The HEIC file's bytes (transferred). */
  input: ArrayBuffer;
}

/** A decode's result: RGBA pixels, 4 bytes per pixel (transferred back). */
export interface HeicWorkerResult {
  width: number;
  height: number;
  data: ArrayBuffer;
}

/**
 * The worker's code, run with `eval: true` so it needs no separate build output (the same
 * string works under the test runner and from dist/). It loads heic-decode from the path the
 * main thread resolved, decodes one image per `{ id, task }` message and answers
 * `{ id, result }` with the RGBA pixels as a transferred buffer (no copy), or `{ id, error }`.
 */
export const HEIC_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.decoderPath);
parentPort.on('message', async ({ id, task }) => {
  try {
    const image = await decode({ buffer: new Uint8Array(task.input) });
    const pixels = image.data;
    const data = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength
      ? pixels.buffer
      : pixels.slice().buffer;
    parentPort.postMessage({ id, result: { width: image.width, height: image.height, data } }, [data]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;
