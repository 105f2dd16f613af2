/**
 * A webhook receiver on 127.0.0.1 for the tests: it keeps every request and answers what the test
 * says (`answer` for an event type, else 200).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  type: string;
  id: string;
  body: string;
  headers: IncomingMessage['headers'];
  answered: number;
}

export async function startReceiver() {
  const received: Received[] = [];
  const receiver = {
    received,
    url: '',
    /** The status the next requests get: a function of the event's type (default 200). */
    answer: (_type: string): number => 200,
    close: () => server.close(),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const event = JSON.parse(body) as { type: string; id: string };
      const status = receiver.answer(event.type);
      received.push({ type: event.type, id: event.id, body, headers: req.headers, answered: status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tendril`;
  return receiver;
}
