import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A real `redis-server` of the test's own: a free loopback port, nothing written to disk. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** A plain client for looking at what the gateway stored. */
  client(): Redis;
  /** Kills the server (as a crash would) and waits for it to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /**
   * Stops the process (SIGSTOP) without closing anything: connections stay open and nothing is
   * answered, as with a stuck Redis or a network dropping packets. `resume` continues it.
   */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function spawnRedis(port: number): Promise<ChildProcessByStdio<null, Readable, Readable>> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      reject(new Error(`redis-server exited (${String(code)}): ${output.slice(-500)}`));
    });
    child.once('error', reject);
  });
  child.stdout.resume();
  child.stderr.resume();
  return child;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port);
  const clients: Redis[] = [];
  const kill = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client() {
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: false });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    kill,
    async restart() {
      await kill();
      child = await spawnRedis(port);
    },
    pause() {
      if (child?.pid !== undefined) process.kill(child.pid, 'SIGSTOP');
    },
    resume() {
      if (child?.pid !== undefined) process.kill(child.pid, 'SIGCONT');
    },
    async stop() {
      for (const client of clients) client.disconnect();
      await kill();
    },
  };
}
