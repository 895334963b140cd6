/**
 * The worker's code, run with `eval: true` so it needs no separate build output (the same
 * string works under the test runner and from dist/). It loads heic-decode from the path the
 * main thread resolved, decodes one image per message and posts the RGBA pixels back as a
 * transferred buffer (no copy).
 */
export const HEIC_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.decoderPath);
parentPort.on('message', async (message) => {
  try {
    const image = await decode({ buffer: new Uint8Array(message.input) });
    const pixels = image.data;
    const out = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength
      ? pixels.buffer
      : pixels.slice().buffer;
    parentPort.postMessage({ id: message.id, width: image.width, height: image.height, data: out }, [out]);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error && error.message || error) });
  }
});
`;
