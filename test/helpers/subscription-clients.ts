import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** The subscription with the fields the lifecycle tests compare. */
export const WATCH = /* GraphQL */ `
  subscription Watch($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      qualifications {
        vettingStatus
      }
    }
  }
`;

/** One `WATCH` event as a client receives it. */
export function watchEvent(id: string, ...vettingStatuses: (string | null)[]) {
  return {
    data: {
      customerQualificationsChanged: {
        id,
        qualifications: vettingStatuses.map((vettingStatus) => ({ vettingStatus })),
      },
    },
  };
}

export interface WsSubscriber {
  readonly client: Client;
  /** Every result received, as sent. */
  readonly events: unknown[];
  /** What ended the subscription with an error (a close event, or GraphQL errors). */
  readonly errors: unknown[];
  /** The close code of its socket, once closed. */
  closedWith: number | undefined;
}

/** A graphql-ws client (no retries), its token in `connection_init`, with one subscription. */
export function wsSubscriber(
  graphqlUrl: string,
  authorization: string,
  ids: readonly string[],
  query = WATCH,
): WsSubscriber {
  const client = createClient({
    url: graphqlUrl.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
  });
  const subscriber: WsSubscriber = { client, events: [], errors: [], closedWith: undefined };
  client.on('closed', (closed) => {
    subscriber.closedWith = (closed as { code: number }).code;
  });
  client.subscribe(
    { query, variables: { ids } },
    {
      next: (result) => subscriber.events.push(result),
      error: (error) => subscriber.errors.push(error),
      complete: () => undefined,
    },
  );
  return subscriber;
}

export interface MultipartSubscriber {
  readonly status: number;
  /** Every event part's payload so far, parsed. */
  events(): unknown[];
  /** Reads on until `condition` holds for the text received, or the body ends. */
  readUntil(condition: (text: string) => boolean): Promise<string>;
  readToEnd(): Promise<string>;
  /** The client goes away. */
  abort(): void;
}

/** A multipart HTTP subscription POSTed as Apollo Client's HttpLink does, read as raw text. */
export async function multipartSubscriber(
  graphqlUrl: string,
  authorization: string,
  ids: readonly string[],
  query = WATCH,
): Promise<MultipartSubscriber> {
  const controller = new AbortController();
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    signal: controller.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'multipart/mixed;subscriptionSpec="1.0",application/json',
      authorization,
    },
    body: JSON.stringify({ query, variables: { ids } }),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const readUntil = async (condition: (received: string) => boolean) => {
    while (!ended && !condition(text)) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) ended = true;
      else text += decoder.decode(chunk.value, { stream: true });
    }
    return text;
  };
  return {
    status: response.status,
    events: () => payloadsIn(text),
    readUntil,
    readToEnd: () => readUntil(() => false),
    abort: () => controller.abort(),
  };
}

/** The event payloads of whole parts received (heartbeats left out). */
function payloadsIn(text: string): unknown[] {
  const payloads: unknown[] = [];
  // A part is whole once the next delimiter has come.
  for (const part of text.split('\r\n--graphql').slice(1, -1)) {
    const body = JSON.parse(part.slice(part.indexOf('\r\n\r\n') + 4)) as { payload?: unknown };
    if (body.payload !== undefined && body.payload !== null) payloads.push(body.payload);
  }
  return payloads;
}
