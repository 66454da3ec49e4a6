import { createServer, type IncomingMessage } from 'node:http';
import { HOST, PORT } from './environment.js';

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The plain node:http server both references run on: `/readyz` for the benchmark's start-up
 * check, every other request read whole and given to `answer`; a failure is a bare 502.
 */
export function serve(answer: (request: IncomingMessage, body: string) => Promise<Answer>): void {
  const server = createServer((request, response) => {
    if (request.url === '/readyz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      answer(request, body).then(
        (result) => {
          response.writeHead(result.status, result.headers).end(result.body);
        },
        () => {
          response.writeHead(502).end();
        },
      );
    });
  });
  server.listen(PORT, HOST);
}
