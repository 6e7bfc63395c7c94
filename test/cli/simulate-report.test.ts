import assert from 'node:assert/strict';
import {
  describeRequestError,
  describeStatus,
  evaluateCheck,
  findResponseProblems,
  formatReply,
  REJECTION_CHECKS,
} from '../../src/cli/simulate-report';

const TOKEN_SOURCE = 'the development key in /app/data/dev-webhook-secret';

describe('describeStatus', () => {
  it('rounds the time to milliseconds', () => {
    const line = describeStatus({ status: 200, body: '', durationMs: 411.6 }, 5000);

    assert.equal(line, '200 OK in 412 ms (budget 5000 ms)');
  });

  it('names other statuses', () => {
    const line = describeStatus({ status: 401, body: '', durationMs: 3 }, 5000);

    assert.equal(line, '401 Unauthorized in 3 ms (budget 5000 ms)');
  });
});

describe('formatReply', () => {
  it('summarizes a JSON reply', () => {
    assert.deepEqual(formatReply('{"type":"message","text":"hello"}'), ['Text: hello']);
  });

  it('shows an empty body', () => {
    assert.deepEqual(formatReply(''), ['(empty body)']);
  });

  it('shows a body that is not JSON', () => {
    assert.deepEqual(formatReply('<html>'), ['(not JSON) <html>']);
  });
});

describe('findResponseProblems', () => {
  const message = '{"type":"message","text":"hello"}';

  it('accepts a valid message within the budget', () => {
    const problems = findResponseProblems(
      { status: 200, body: message, durationMs: 4999 },
      5000,
      TOKEN_SOURCE,
    );

    assert.deepEqual(problems, []);
  });

  it('rejects a reply over the budget', () => {
    const problems = findResponseProblems(
      { status: 200, body: message, durationMs: 5001 },
      5000,
      TOKEN_SOURCE,
    );

    assert.equal(problems.length, 1);
    assert.match(problems[0], /^The reply took 5001 ms, over the 5000 ms budget\./);
  });

  it('rejects a reply Teams would not show', () => {
    const problems = findResponseProblems(
      { status: 200, body: '{}', durationMs: 10 },
      5000,
      TOKEN_SOURCE,
    );

    assert.deepEqual(problems, [
      'The reply has no type; it must have type "message". Teams would show "Sorry, there was a problem" instead.',
      'The reply has neither text nor attachments. Teams would show "Sorry, there was a problem" instead.',
    ]);
  });

  it('explains 401 with the token source', () => {
    const [problem] = findResponseProblems(
      { status: 401, body: '', durationMs: 1 },
      5000,
      TOKEN_SOURCE,
    );

    assert.match(problem, /^The server returned 401 Unauthorized\./);
    assert.ok(problem.includes(`This run signed with ${TOKEN_SOURCE}`));
  });

  it('points 404 at the URL', () => {
    const [problem] = findResponseProblems(
      { status: 404, body: '', durationMs: 1 },
      5000,
      TOKEN_SOURCE,
    );

    assert.match(problem, /^The server returned 404 Not Found\. Check the URL/);
  });

  it('points other statuses at the server log', () => {
    const [problem] = findResponseProblems(
      { status: 500, body: '', durationMs: 1 },
      5000,
      TOKEN_SOURCE,
    );

    assert.match(problem, /^The server returned 500 Internal Server Error\. The server's log/);
  });
});

describe('evaluateCheck', () => {
  it('passes on 401', () => {
    assert.deepEqual(evaluateCheck(REJECTION_CHECKS.badSignature, 401), {
      line: 'Check: wrongly signed copy: 401 Unauthorized, rejected as expected',
    });
  });

  it('fails when the server accepts the copy', () => {
    const result = evaluateCheck(REJECTION_CHECKS.staleTimestamp, 200);

    assert.equal(
      result.line,
      'Check: copy with a timestamp 10 minutes old: 200 OK, expected 401 Unauthorized',
    );
    assert.equal(result.problem, REJECTION_CHECKS.staleTimestamp.acceptedProblem);
  });

  it('fails on another rejection status', () => {
    const result = evaluateCheck(REJECTION_CHECKS.badSignature, 400);

    assert.equal(
      result.problem,
      'The server returned 400 Bad Request for the wrongly signed copy, not 401.',
    );
  });
});

describe('describeRequestError', () => {
  const url = 'http://127.0.0.1:3978/api/webhook';

  function fetchError(code: string): Error {
    return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
  }

  it('tells to start the server when refused', () => {
    const message = describeRequestError(fetchError('ECONNREFUSED'), url, 30000);

    assert.match(message, /^Cannot connect to http:\/\/127\.0\.0\.1:3978\/api\/webhook: /);
    assert.ok(message.includes('`npm start`'));
  });

  it('finds the code inside an AggregateError', () => {
    const cause = Object.assign(
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
      {},
    );
    const message = describeRequestError(new TypeError('fetch failed', { cause }), url, 30000);

    assert.match(message, /^Cannot connect to/);
  });

  it('names an unknown host', () => {
    const message = describeRequestError(
      fetchError('ENOTFOUND'),
      'https://nowhere.invalid/',
      30000,
    );

    assert.equal(
      message,
      'Cannot resolve the host name of https://nowhere.invalid/ (ENOTFOUND). Check the --url option.',
    );
  });

  it('names a timeout', () => {
    const error = new DOMException('The operation was aborted due to timeout', 'TimeoutError');

    assert.match(describeRequestError(error, url, 30000), /^No response from .* within 30000 ms\./);
  });

  it('names other failures by code', () => {
    const message = describeRequestError(fetchError('ECONNRESET'), url, 30000);

    assert.match(
      message,
      /^The request to .* failed \(ECONNRESET\)\. Check that the server is running/,
    );
  });
});
