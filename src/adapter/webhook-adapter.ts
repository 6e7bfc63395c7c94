import { BotAdapter, TurnContext } from 'botbuilder-core';
import {
  ActivityTypes,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botframework-schema';
import type { Logger } from '../logger';
import { mergeReplies } from './merge-replies';
import { EMPTY_REPLY_TEXT, guardReply, type ReplyLimits } from './reply-guard';

/** Ids of one webhook request, carried into the turn and onto every log line. */
export interface WebhookTurnInfo {
  requestId: string;
  webhookId: string;
}

/** The outcome of one turn: the single message to return and how the turn ended. */
export interface WebhookTurnResult {
  reply: Partial<Activity>;
  outcome: 'replied' | 'empty' | 'failed' | 'overrun';
}

/** Builds a fallback reply for a request id: the apology or the "still working" message. */
export type FallbackReply = (requestId: string) => Partial<Activity>;

export interface OutgoingWebhookAdapterOptions {
  logger: Logger;
  limits: ReplyLimits;
  /** The reply to a failed turn; a text apology by default. */
  apology?: FallbackReply;
  /** The reply when the turn outlives its deadline; a short text by default. */
  stillWorking?: FallbackReply;
  /** Clock for turn durations, in milliseconds. */
  now?: () => number;
}

export type BotLogic = (context: TurnContext) => Promise<void>;

/** turnState key of the ids of the request that started the turn. */
export const WEBHOOK_TURN_KEY = Symbol('webhookTurn');

const REPLY_BUFFER_KEY = Symbol('webhookReplyBuffer');

interface ReplyBuffer {
  activities: Partial<Activity>[];
  closed: boolean;
  /** Set when the middleware or the bot threw, even if onTurnError then handled it. */
  failed: boolean;
}

/** The reply to a turn that sent nothing visible. */
export const EMPTY_TURN_TEXT = EMPTY_REPLY_TEXT;

export const STILL_WORKING_TEXT =
  'Still working on that. Teams gives me five seconds to answer, so I cannot show the result here.';

const UNSUPPORTED_HINT =
  'An outgoing webhook can only answer the request it received. Run the bot as a registered ' +
  'Teams bot behind CloudAdapter to update, delete or send messages later.';

/**
 * A BotAdapter for Teams outgoing webhooks. Each turn runs through the middleware and the bot,
 * everything the turn sends is collected, and the collection becomes the one message returned
 * in the HTTP response.
 */
export class OutgoingWebhookAdapter extends BotAdapter {
  private readonly logger: Logger;
  private readonly limits: ReplyLimits;
  private readonly apology: FallbackReply;
  private readonly stillWorking: FallbackReply;
  private readonly now: () => number;

  constructor(options: OutgoingWebhookAdapterOptions) {
    super();
    this.logger = options.logger;
    this.limits = options.limits;
    this.apology = options.apology ?? textApology;
    this.stillWorking = options.stillWorking ?? textStillWorking;
    this.now = options.now ?? (() => performance.now());
    this.onTurnError = (context, error) => this.replyWithApology(context, error);
    // The first middleware runs outermost, so it catches every error of the turn before
    // runMiddleware hands it to onTurnError.
    this.use(async (context, next) => {
      try {
        await next();
      } catch (error) {
        const buffer = context.turnState.get(REPLY_BUFFER_KEY) as ReplyBuffer | undefined;
        if (buffer !== undefined) {
          buffer.failed = true;
        }
        throw error;
      }
    });
  }

  /**
   * Runs one verified activity through the middleware and `logic`, and returns the guarded
   * reply. Never rejects: a failing turn and a failing onTurnError both end in an apology that
   * carries the request id. When `deadline` (a `now()` value) passes first, the reply is the
   * "still working" message. The turn may go on, but what it sends afterwards is logged and
   * dropped.
   */
  async processActivity(
    activity: Activity,
    info: WebhookTurnInfo,
    logic: BotLogic,
    deadline?: number,
  ): Promise<WebhookTurnResult> {
    const started = this.now();
    const buffer: ReplyBuffer = { activities: [], closed: false, failed: false };
    const turn = this.runTurn(activity, info, logic, buffer);
    const finished =
      deadline === undefined ? await turn : await raceDeadline(turn, deadline - started);

    buffer.closed = true;
    if (finished === 'timeout') {
      this.logger.warn(
        { ...info, budgetMs: Math.round(deadline! - started) },
        'turn overran its deadline',
      );
      void turn.then(() =>
        this.logger.warn(
          { ...info, durationMs: Math.round(this.now() - started) },
          'overrunning turn finished',
        ),
      );
      return { reply: this.stillWorkingReply(info), outcome: 'overrun' };
    }

    const merged = mergeReplies(buffer.activities);
    if (merged === undefined) {
      const reply = { type: ActivityTypes.Message, text: EMPTY_TURN_TEXT };
      return { reply: this.guard(reply, info), outcome: 'empty' };
    }
    return { reply: this.guard(merged, info), outcome: finished };
  }

  /** Runs the turn; resolves with how it ended and never rejects. */
  private async runTurn(
    activity: Activity,
    info: WebhookTurnInfo,
    logic: BotLogic,
    buffer: ReplyBuffer,
  ): Promise<'replied' | 'failed'> {
    const context = new TurnContext(this, activity);
    context.turnState.set(WEBHOOK_TURN_KEY, info);
    context.turnState.set(REPLY_BUFFER_KEY, buffer);
    try {
      await this.runMiddleware(context, logic);
      return buffer.failed ? 'failed' : 'replied';
    } catch (error) {
      this.logger.error({ err: error, ...info }, 'onTurnError failed');
      if (!buffer.closed) {
        buffer.activities.push(this.apology(info.requestId));
      }
      return 'failed';
    }
  }

  /** Builds the guarded "still working" reply for a request. */
  stillWorkingReply(info: WebhookTurnInfo): Partial<Activity> {
    return this.guard(this.stillWorking(info.requestId), info);
  }

  /** Applies the reply guard and logs each change it made. */
  private guard(reply: Partial<Activity>, info: WebhookTurnInfo): Partial<Activity> {
    const guarded = guardReply(reply, this.limits);
    for (const change of guarded.changes) {
      this.logger.warn({ ...info, change: change.code, detail: change.detail }, 'reply changed');
    }
    return guarded.reply;
  }

  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const buffer = context.turnState.get(REPLY_BUFFER_KEY) as ReplyBuffer | undefined;
    const info = context.turnState.get(WEBHOOK_TURN_KEY) as WebhookTurnInfo | undefined;
    if (buffer === undefined || buffer.closed) {
      this.logger.warn(
        { ...info, activities: activities.length },
        'send after the webhook reply was written; dropped',
      );
      return activities.map(() => ({ id: '' }));
    }
    return activities.map((activity) => {
      buffer.activities.push(activity);
      return { id: `${info?.requestId ?? 'reply'}-${buffer.activities.length}` };
    });
  }

  override async updateActivity(): Promise<void> {
    throw new Error(`updateActivity is not supported. ${UNSUPPORTED_HINT}`);
  }

  override async deleteActivity(): Promise<void> {
    throw new Error(`deleteActivity is not supported. ${UNSUPPORTED_HINT}`);
  }

  override async continueConversation(
    _reference: Partial<ConversationReference>,
    _logic: BotLogic,
  ): Promise<void> {
    throw new Error(`continueConversation is not supported. ${UNSUPPORTED_HINT}`);
  }

  override async continueConversationAsync(..._args: unknown[]): Promise<void> {
    throw new Error(`continueConversationAsync is not supported. ${UNSUPPORTED_HINT}`);
  }

  private async replyWithApology(context: TurnContext, error: unknown): Promise<void> {
    const info = context.turnState.get(WEBHOOK_TURN_KEY) as WebhookTurnInfo;
    this.logger.error({ err: error, ...info }, 'turn failed');
    await context.sendActivity(this.apology(info.requestId));
  }
}

/** Resolves with the turn's ending, or with `timeout` after `budgetMs`. */
async function raceDeadline<T>(turn: Promise<T>, budgetMs: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, budgetMs));
  });
  try {
    return await Promise.race([turn, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the text apology for a failed turn; its reference lets support find the logged error. */
export function textApology(requestId: string): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text: `Sorry, something went wrong while handling that. Reference: ${requestId}`,
  };
}

function textStillWorking(): Partial<Activity> {
  return { type: ActivityTypes.Message, text: STILL_WORKING_TEXT };
}
