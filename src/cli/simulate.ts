import { loadConfig } from '../config';
import {
  buildMessageActivity,
  toRequestBody,
  type ActivityOptions,
  type WireActivity,
} from '../testing/activities';
import { createToken } from '../testing/signing';
import { postSigned, type WebhookResponse } from '../testing/webhook-client';
import {
  parseSimulateArgs,
  SIMULATE_HELP,
  UsageError,
  type SimulateOptions,
} from './simulate-args';
import {
  describeRequestError,
  describeStatus,
  evaluateCheck,
  findResponseProblems,
  formatReply,
  REJECTION_CHECKS,
  STALE_AGE_MS,
  type RejectionCheck,
} from './simulate-report';
import { resolveTarget, TargetError, type SimulateTarget } from './simulate-target';

/** Maximum wait for a response, in milliseconds, so a stuck server cannot hang the simulator. */
const REQUEST_TIMEOUT_MS = 30_000;

type Write = (line: string) => void;

const printOut: Write = (line) => process.stdout.write(`${line}\n`);
const printError: Write = (line) => process.stderr.write(`${line}\n`);

/** Request failed with no response; the message is ready to print. */
class RequestError extends Error {
  override name = 'RequestError';
}

async function main(args: string[]): Promise<number> {
  let options: SimulateOptions;
  try {
    const commandLine = parseSimulateArgs(args);
    if (commandLine.help) {
      process.stdout.write(SIMULATE_HELP);
      return 0;
    }
    options = commandLine.options;
  } catch (error) {
    if (error instanceof UsageError) {
      printError(error.message);
      return 2;
    }
    throw error;
  }

  try {
    return await simulate(options);
  } catch (error) {
    if (error instanceof TargetError || error instanceof RequestError) {
      printError(error.message);
      return 1;
    }
    throw error;
  }
}

/** Sends the message, prints the reply and runs the checks. Returns the exit status. */
async function simulate(options: SimulateOptions): Promise<number> {
  const target = resolveTarget(options, readSettings);
  // With --json, stdout carries only the reply, so it can be piped to another program.
  const report = options.json ? printError : printOut;

  const activity = buildMessageActivity(options.message, activityOptions(options));
  const sender = (activity.from as { name: string }).name;
  report(`Sending "${options.message}" as ${sender} to ${target.url}`);
  report(`Signed with ${target.tokenSource}`);

  const response = await send(target, activity, options);
  report(describeStatus(response, options.budgetMs));
  if (options.json) {
    printOut(response.body);
  } else {
    formatReply(response.body).forEach(report);
  }

  const problems = findResponseProblems(response, options.budgetMs, target.tokenSource);
  if (options.check) {
    problems.push(...(await runChecks(target, options, report)));
  }
  problems.forEach((problem) => printError(`Error: ${problem}`));
  if (problems.length === 0) {
    report('OK: Teams would show this reply.');
  }
  return problems.length === 0 ? 0 : 1;
}

/** Sends the two copies the server must reject: a wrong signature and an old timestamp. */
async function runChecks(
  target: SimulateTarget,
  options: SimulateOptions,
  report: Write,
): Promise<string[]> {
  const wronglySigned = buildMessageActivity(options.message, activityOptions(options));
  const stale = buildMessageActivity(options.message, {
    ...activityOptions(options),
    timestamp: new Date(Date.now() - STALE_AGE_MS),
  });
  const checks: [RejectionCheck, WireActivity, string][] = [
    [REJECTION_CHECKS.badSignature, wronglySigned, createToken()],
    [REJECTION_CHECKS.staleTimestamp, stale, target.token],
  ];

  const problems: string[] = [];
  for (const [check, activity, token] of checks) {
    const response = await send({ ...target, token }, activity, options);
    const { line, problem } = evaluateCheck(check, response.status);
    report(line);
    if (problem !== undefined) {
      problems.push(problem);
    }
  }
  return problems;
}

async function send(
  target: Pick<SimulateTarget, 'url' | 'token'>,
  activity: WireActivity,
  options: SimulateOptions,
): Promise<WebhookResponse> {
  const timeoutMs = Math.max(REQUEST_TIMEOUT_MS, options.budgetMs * 2);
  try {
    return await postSigned(target, toRequestBody(activity), { path: '', timeoutMs });
  } catch (error) {
    throw new RequestError(describeRequestError(error, target.url, timeoutMs));
  }
}

function activityOptions(options: SimulateOptions): ActivityOptions {
  return {
    webhookName: options.webhookName,
    senderName: options.senderName,
    senderAadObjectId: options.senderAadObjectId,
    teamId: options.teamId,
    channelId: options.channelId,
    tenantId: options.tenantId,
    threadRootId: options.threadRootId,
  };
}

/** Reads the settings as `npm start` does, with a token from --token as TEAMS_WEBHOOK_SECRET. */
function readSettings(token?: string) {
  const env = token === undefined ? process.env : { ...process.env, TEAMS_WEBHOOK_SECRET: token };
  return loadConfig(env);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    printError(`simulate failed unexpectedly: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
