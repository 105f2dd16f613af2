/**
 * Serves an AWS JSON-protocol API (one POST per call, the operation in `x-amz-target`) on 127.0.0.1
 * — how the SDK clients talk to the local EventBridge and Step Functions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error the API answers with its AWS error type (`__type`), as a 400. */
export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function serveAwsJson(options: {
  /** e.g. `AWSStepFunctions.`: stripped from the target to name the operation. */
  targetPrefix: string;
  /** `application/x-amz-json-1.0` or `-1.1`. */
  contentType: string;
  host: string;
  call: (operation: string, body: Record<string, unknown>) => unknown;
}): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': options.contentType });
        res.end(JSON.stringify(body));
      };
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith(options.targetPrefix)) {
        reply(400, { __type: 'UnknownOperationException', message: `unsupported ${target}` });
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        reply(400, { __type: 'SerializationException', message: 'invalid JSON' });
        return;
      }
      Promise.resolve()
        .then(() => options.call(target.slice(options.targetPrefix.length), body))
        .then(
          (out) => reply(200, out),
          (err) =>
            err instanceof AwsApiError
              ? reply(400, { __type: err.type, message: err.message })
              : reply(500, { __type: 'InternalError', message: String(err) }),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, options.host, resolve));
  return { url: `http://${options.host}:${(server.address() as AddressInfo).port}`, server };
}
