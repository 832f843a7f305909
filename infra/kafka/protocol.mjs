// The one Kafka request kafka.mjs needs to know a broker answers: ApiVersions v0, spoken over a
// raw socket so the check needs no client library. A listening port alone is not enough: the
// broker binds it before it serves requests.
import { Socket } from 'node:net';

const API_VERSIONS = 18;

function apiVersionsRequest(correlationId, clientId) {
  const id = Buffer.from(clientId, 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + id.length);
  body.writeInt16BE(API_VERSIONS, 0);
  body.writeInt16BE(0, 2); // request version 0: no body, accepted by every broker since 0.10
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(id.length, 8);
  id.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

function parseApiVersions(frame) {
  const errorCode = frame.readInt16BE(4);
  const count = frame.readInt32BE(6);
  const apis = new Map();
  for (let i = 0, at = 10; i < count; i += 1, at += 6) {
    apis.set(frame.readInt16BE(at), {
      min: frame.readInt16BE(at + 2),
      max: frame.readInt16BE(at + 4),
    });
  }
  return { errorCode, apis };
}

/**
 * Sends ApiVersions to host:port and resolves with `{ errorCode, apis }` (api key → supported
 * version range). Rejects on connection errors or after `timeoutMs`.
 */
export function apiVersions({ host = '127.0.0.1', port, timeoutMs = 2_000 }) {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const fail = (err) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error('ApiVersions timed out')));
    socket.once('error', fail);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.destroy();
      resolve(parseApiVersions(received.subarray(4)));
    });
    socket.connect(port, host, () => socket.write(apiVersionsRequest(1, 'pulse-infra')));
  });
}
