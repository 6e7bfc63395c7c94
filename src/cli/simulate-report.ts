import { STATUS_CODES } from 'node:http';
import { findReplyProblems } from '../testing/reply-check';
import { formatReplySummary } from '../testing/reply-format';
import { summarizeReply } from '../testing/reply-summary';

/** The status, body and round-trip time of one simulated request. */
export interface SimulatedResponse {
  status: number;
  body: string;
  durationMs: number;
}

/** A request that the `--check` option sends and the server must reject with 401. */
export interface RejectionCheck {
  name: string;
  /** The problem reported when the server accepts the request, with what to check. */
  acceptedProblem: string;
}

export const REJECTION_CHECKS = {
  badSignature: {
    name: 'wrongly signed copy',
    acceptedProblem:
      'The server accepted a wrongly signed copy, so it does not verify the HMAC signature ' +
      'of requests.',
  },
  staleTimestamp: {
    name: 'copy with a timestamp 10 minutes old',
    acceptedProblem:
      'The server accepted a copy whose timestamp is 10 minutes old, so a recorded request ' +
      'can be replayed. Set REPLAY_WINDOW_SECONDS to 300 (the default) or another value ' +
      'from 1 to 599; 0 switches the check off.',
  },
} satisfies Record<string, RejectionCheck>;

/** Age of the stale copy of `--check`: twice the default replay window of 300 seconds. */
export const STALE_AGE_MS = 10 * 60 * 1000;

/** Formats the status line: `200 OK in 412 ms (budget 5000 ms)`. */
export function describeStatus(response: SimulatedResponse, budgetMs: number): string {
  const reason = STATUS_CODES[response.status] ?? 'Unknown status';
  const durationMs = Math.round(response.durationMs);
  return `${response.status} ${reason} in ${durationMs} ms (budget ${budgetMs} ms)`;
}

/** Formats the reply as a person would read it: text, mentions and a summary of each card. */
export function formatReply(body: string): string[] {
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch {
    return body === '' ? ['(empty body)'] : [`(not JSON) ${body}`];
  }
  return formatReplySummary(summarizeReply(reply));
}

/**
 * Lists what keeps Teams from showing the reply: a status other than 200, a body that is not a
 * message, or a round trip longer than `budgetMs`. `tokenSource` goes into the hint for a 401.
 */
export function findResponseProblems(
  response: SimulatedResponse,
  budgetMs: number,
  tokenSource: string,
): string[] {
  if (response.status !== 200) {
    return [explainStatus(response.status, tokenSource)];
  }
  const problems = findReplyProblems(response.body).map(
    (problem) => `${problem} Teams would show "Sorry, there was a problem" instead.`,
  );
  const durationMs = Math.round(response.durationMs);
  if (durationMs > budgetMs) {
    problems.push(
      `The reply took ${durationMs} ms, over the ${budgetMs} ms budget. Teams stops waiting ` +
        'after about five seconds and shows "Sorry, there was a problem" instead.',
    );
  }
  return problems;
}

function explainStatus(status: number, tokenSource: string): string {
  const returned = `The server returned ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  if (status === 401) {
    return (
      `${returned}. It rejects a signature made with a token it does not have, an unknown ` +
      `webhook id and, where the replay check is on, an old timestamp. This run signed with ` +
      `${tokenSource}: the server must have the same token (restart it after changing the ` +
      'settings).'
    );
  }
  if (status === 404 || status === 405) {
    return (
      `${returned}. Check the URL: the server accepts POST /api/webhook and ` +
      'POST /api/webhook/<id>.'
    );
  }
  return `${returned}. The server's log has the reason on its "webhook request" line.`;
}

/** Formats one check's line and, unless the server returned 401, the problem. */
export function evaluateCheck(
  check: RejectionCheck,
  status: number,
): { line: string; problem?: string } {
  const statusText = `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  if (status === 401) {
    return { line: `Check: ${check.name}: ${statusText}, rejected as expected` };
  }
  const line = `Check: ${check.name}: ${statusText}, expected 401 Unauthorized`;
  if (status === 200) {
    return { line, problem: check.acceptedProblem };
  }
  return { line, problem: `The server returned ${statusText} for the ${check.name}, not 401.` };
}

/**
 * Explains why a request got no response at all: the server is not running or not reachable at
 * `url`, or it sent nothing within `timeoutMs`.
 */
export function describeRequestError(error: unknown, url: string, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `No response from ${url} within ${timeoutMs} ms. Is the server stuck? Check its log.`;
  }
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') {
    return (
      `Cannot connect to ${url}: the connection was refused, so no server is listening there. ` +
      'Start the server with `npm start` in another terminal, or pass its address with --url.'
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `Cannot resolve the host name of ${url} (${code}). Check the --url option.`;
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return (
    `The request to ${url} failed (${reason}). Check that the server is running ` +
    '(`npm start`) and that --url is right.'
  );
}

/** Returns the system error code of a failed fetch; undici puts it on `cause` or its `errors`. */
function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code;
}
