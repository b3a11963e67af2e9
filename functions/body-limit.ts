/**
 * A cap on request bodies. functions-framework reads and parses every body (JSON, text, form,
 * raw) up to 1 GiB before the handler runs, on any method and path, so one large JSON body
 * exhausts the heap (issue 26). It has no option to lower that limit. Cloud Scheduler sends
 * no body at all, so a request that announces more than `MAX_BODY_BYTES`, or a body of
 * unknown length (chunked), is answered 413 and its connection closed before the framework
 * reads anything: Node publishes each request on the `http.server.request.start` diagnostics
 * channel just before the server's request listeners (the framework's) see it.
 */
import {subscribe} from 'node:diagnostics_channel';
import type {IncomingMessage, ServerResponse} from 'node:http';

/** Far above anything a caller of this function sends, far below what hurts the heap. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Why a request's body is refused, or null when it may be read. */
export function bodyProblem(headers: IncomingMessage['headers']): string | null {
  if (headers['transfer-encoding'] !== undefined) {
    return 'a body of unknown length (chunked) is not accepted: POST with no body to run a pass';
  }
  const length = Number(headers['content-length'] ?? '0');
  if (!Number.isFinite(length) || length > MAX_BODY_BYTES) {
    return `the body is larger than ${MAX_BODY_BYTES} bytes: POST with no body to run a pass`;
  }
  return null;
}

let installed = false;

/** Refuses oversized bodies on every HTTP server of this process; once is enough. */
export function limitRequestBodies(): void {
  if (installed) return;
  installed = true;
  subscribe('http.server.request.start', message => {
    const {request, response} = message as {request: IncomingMessage; response: ServerResponse};
    const problem = bodyProblem(request.headers);
    if (problem === null) return;
    response.writeHead(413, {'Content-Type': 'application/json', Connection: 'close'});
    // Once the answer is out, the connection goes: the framework's parser, which has started
    // reading the body, sees an aborted request and parses nothing.
    response.end(JSON.stringify({error: problem}), () => request.destroy());
  });
}
