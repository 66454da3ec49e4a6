import { describe, expect, it } from 'vitest';
import {
  acceptsMultipartSubscriptions,
  CLOSING,
  eventPart,
  HEARTBEAT,
  MULTIPART_CONTENT_TYPE,
  OPENING,
  transportErrorPart,
} from '../../src/subscriptions/multipart-framing.js';

describe('multipart subscription framing', () => {
  it('frames a stream as Apollo Router does: each part ends with the delimiter, the last one closes', () => {
    const body =
      OPENING +
      eventPart({ data: { customerQualificationsChanged: { id: 'a' } } }) +
      HEARTBEAT +
      transportErrorPart([{ message: 'refused', extensions: { code: 'UNAUTHENTICATED' } }]) +
      CLOSING;

    expect(body).toBe(
      '\r\n--graphql' +
        '\r\ncontent-type: application/json\r\n\r\n' +
        '{"payload":{"data":{"customerQualificationsChanged":{"id":"a"}}}}' +
        '\r\n--graphql' +
        '\r\ncontent-type: application/json\r\n\r\n{}' +
        '\r\n--graphql' +
        '\r\ncontent-type: application/json\r\n\r\n' +
        '{"payload":null,"errors":[{"message":"refused","extensions":{"code":"UNAUTHENTICATED"}}]}' +
        '\r\n--graphql--\r\n',
    );
    expect(MULTIPART_CONTENT_TYPE).toBe(
      'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"',
    );
  });

  it('closes a stream that sent nothing with the closing delimiter alone', () => {
    expect(OPENING + CLOSING).toBe('\r\n--graphql--\r\n');
  });
});

describe('acceptsMultipartSubscriptions', () => {
  it.each([
    // Apollo Client 3's HttpLink
    'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json',
    // the protocol's documentation
    'multipart/mixed;subscriptionSpec="1.0", application/json',
    'multipart/mixed; boundary="graphql"; subscriptionSpec="1.0", application/json',
    'application/json, MULTIPART/MIXED;SUBSCRIPTIONSPEC=1.0',
  ])('accepts %s', (accept) => {
    expect(acceptsMultipartSubscriptions(accept)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'application/json',
    '*/*',
    'multipart/mixed',
    // @defer's, not a subscription's
    'multipart/mixed;deferSpec=20220824,application/json',
    'multipart/mixed;subscriptionSpec=2.0',
    'multipart/mixed;subscriptionSpec=1.0;q=0, application/json',
    'application/json;x="multipart/mixed;subscriptionSpec=1.0"',
  ])('does not accept %s', (accept) => {
    expect(acceptsMultipartSubscriptions(accept)).toBe(false);
  });
});
