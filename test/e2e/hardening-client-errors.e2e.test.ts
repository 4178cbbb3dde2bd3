import { connect } from 'node:net';
import { TestApp } from '../support/test-app.js';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Sends bytes on a fresh connection and reads the one answer until the server closes it or its body is complete. */
function rawRequest(url: string, bytes: string | Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const parse = (): RawAnswer | undefined => {
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = Buffer.from(text.slice(end + 4), 'latin1');
      if (headers['content-length'] === undefined || body.length < Number(headers['content-length'])) return undefined;
      return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') };
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const answer = parse();
      if (answer) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const answer = parse();
      if (answer) resolve(answer);
      else reject(new Error(`no complete answer: ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`));
    });
    socket.write(bytes);
  });
}

/** The headers useSecurityHeaders() adds (helmet's set): every answer the process writes must carry them. */
const SECURITY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

describe('answers the HTTP layer writes before any route', () => {
  let t: TestApp;
  let security: Record<string, string>;

  beforeAll(async () => {
    t = await TestApp.start();
    const normal = await rawRequest(t.url, 'GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(normal.status).toBe(200);
    security = Object.fromEntries(SECURITY_HEADERS.map((name) => [name, normal.headers[name]]));
    // The list above is what the app really sends: a header missing here would make the checks below vacuous.
    expect(Object.values(security).every((value) => typeof value === 'string')).toBe(true);
  });
  afterAll(() => t.close());

  function expectProblemAnswer(answer: RawAnswer, status: number, code: string): void {
    const summary = `${answer.status} ${answer.body}`;
    expect({ status: answer.status, summary }).toEqual({ status, summary });
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(answer.body);
    expect(problem).toMatchObject({
      status,
      code,
      type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      title: expect.any(String),
      detail: expect.any(String),
      requestId: expect.stringMatching(/^[A-Za-z0-9._:-]+$/),
    });
    expect(answer.headers['x-request-id']).toBe(problem.requestId);
    expect(Object.fromEntries(SECURITY_HEADERS.map((name) => [name, answer.headers[name]]))).toEqual(security);
  }

  it.each([
    ['a control character in a header value', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Note: a\x01b\r\n\r\n'],
    ['a control character in a header name', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-N\x01te: a\r\n\r\n'],
    [
      'both Content-Length and Transfer-Encoding',
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n' +
        'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n'],
    ['a space in the path', 'GET /health/ live HTTP/1.1\r\nHost: x\r\n\r\n'],
  ])('%s: 400 problem+json with the security headers and a request id', async (_what, bytes) => {
    expectProblemAnswer(await rawRequest(t.url, bytes), 400, 'MALFORMED_REQUEST');
  });

  it('headers over the size limit: 431 problem+json with the security headers and a request id', async () => {
    const answer = await rawRequest(
      t.url,
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expectProblemAnswer(answer, 431, 'HEADERS_TOO_LARGE');
  });

  it("an expectation other than 100-continue: 417 problem+json instead of Node's bare 417", async () => {
    const answer = await rawRequest(
      t.url,
      'GET /health/live HTTP/1.1\r\nHost: x\r\nExpect: x\r\nConnection: close\r\n\r\n',
    );
    expectProblemAnswer(answer, 417, 'EXPECTATION_FAILED');
  });

  it('an over-long path segment: 414 problem+json with the security headers', async () => {
    const answer = await rawRequest(
      t.url,
      `GET /v1/users/${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expectProblemAnswer(answer, 414, 'URI_TOO_LONG');
  });
});
