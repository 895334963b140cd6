import { Transform } from 'node:stream';
import { GatewayException } from '../errors/gateway-errors.js';

/** Passes bytes through until `limit`, then fails with 413 (for bodies without Content-Length). */
export function limitBytes(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) {
        callback(
          new GatewayException(
            'payload_too_large',
            `The upload is larger than the ${limit} byte limit.`,
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
}
