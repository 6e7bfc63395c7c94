import { BotAdapter, TurnContext } from 'botbuilder-core';
import {
  ActivityTypes,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botframework-schema';
import type { Logger } from '../logger';
import { mergeReplies } from './merge-replies';

/** Ids of one webhook request, carried into the turn and onto every log line. */
export interface WebhookTurnInfo {
  requestId: string;
  webhookId: string;
}

/** The outcome of one turn: the single message to return and how the turn ended. */
export interface WebhookTurnResult {
  reply: Partial<Activity>;
  outcome: 'replied' | 'empty' | 'failed';
}

export type BotLogic = (context: TurnContext) => Promise<void>;

/** turnState key of the ids of the request that started the turn. */
export const WEBHOOK_TURN_KEY = Symbol('webhookTurn');

const REPLY_BUFFER_KEY = Symbol('webhookReplyBuffer');

interface ReplyBuffer {
  activities: Partial<Activity>[];
  closed: boolean;
}

export const EMPTY_TURN_TEXT = 'I have no reply to that. Type **help** to see what I can do.';

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

  constructor(logger: Logger) {
    super();
    this.logger = logger;
    this.onTurnError = (context, error) => this.replyWithApology(context, error);
  }

  /**
   * Runs one verified activity through the middleware and `logic`. Never rejects: a failing turn
   * and a failing onTurnError both end in an apology that carries the request id.
   */
  async processActivity(
    activity: Activity,
    info: WebhookTurnInfo,
    logic: BotLogic,
  ): Promise<WebhookTurnResult> {
    const buffer: ReplyBuffer = { activities: [], closed: false };
    const context = new TurnContext(this, activity);
    context.turnState.set(WEBHOOK_TURN_KEY, info);
    context.turnState.set(REPLY_BUFFER_KEY, buffer);

    let failed = false;
    try {
      await this.runMiddleware(context, logic);
    } catch (error) {
      failed = true;
      this.logger.error({ err: error, ...info }, 'onTurnError failed');
      buffer.activities.push(apology(info.requestId));
    }
    buffer.closed = true;

    const reply = mergeReplies(buffer.activities);
    if (reply === undefined) {
      return { reply: { type: ActivityTypes.Message, text: EMPTY_TURN_TEXT }, outcome: 'empty' };
    }
    return { reply, outcome: failed ? 'failed' : 'replied' };
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
    await context.sendActivity(apology(info.requestId));
  }
}

/** The message sent when a turn throws; the reference lets support find the logged error. */
export function apology(requestId: string): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text: `Sorry, something went wrong while handling that. Reference: ${requestId}`,
  };
}
