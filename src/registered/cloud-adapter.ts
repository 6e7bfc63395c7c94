import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { CloudAdapter, type TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Activity, InvokeResponse } from 'botframework-schema';
import type { BotLogic, FallbackReply } from '../adapter/webhook-adapter';
import type { Logger } from '../logger';

/** Ids of one `POST /api/messages` request, carried into the turn for its logs and apology. */
export interface RegisteredTurnInfo {
  requestId: string;
}

/** turnState key of the ids of the request that started the turn. */
export const REGISTERED_TURN_KEY = Symbol('registeredTurn');

/**
 * botbuilder's CloudAdapter for the registered bot. Authentication, the Bot Connector client
 * and `expectReplies` buffering are botbuilder's own. This class adds the request id to every
 * turn and handles a failed turn the way the outgoing-webhook adapter does. It logs the error
 * and sends the user an apology that carries the request id.
 */
export class RegisteredBotAdapter extends CloudAdapter {
  private readonly logger: Logger;
  private readonly apology: FallbackReply;
  private readonly requests = new AsyncLocalStorage<RegisteredTurnInfo>();

  /** `apology` builds the reply to a failed turn, the same one the webhook adapter sends. */
  constructor(authentication: BotFrameworkAuthentication, logger: Logger, apology: FallbackReply) {
    super(authentication);
    this.logger = logger;
    this.apology = apology;
    this.onTurnError = (context, error) => this.replyWithApology(context, error);
  }

  /**
   * Authenticates `authorization` (the request's `Authorization` header) with botbuilder's JWT
   * rules, then runs the activity through the middleware and `logic`. Resolves with the invoke
   * or `expectReplies` response, or undefined when the replies went to the Bot Connector.
   * Rejects with botframework-connector's AuthenticationError for a rejected token.
   */
  processRequest(
    info: RegisteredTurnInfo,
    authorization: string,
    activity: Activity,
    logic: BotLogic,
  ): Promise<InvokeResponse | undefined> {
    return this.requests.run(info, () => this.processActivity(authorization, activity, logic));
  }

  protected override runMiddleware(
    context: TurnContext,
    next: (revocableContext: TurnContext) => Promise<void>,
  ): Promise<void> {
    // Proactive turns (continueConversationAsync) have no request, so they get their own id.
    const info = this.requests.getStore() ?? { requestId: `proactive-${randomUUID()}` };
    context.turnState.set(REGISTERED_TURN_KEY, info);
    return super.runMiddleware(context, next);
  }

  private async replyWithApology(context: TurnContext, error: unknown): Promise<void> {
    const info = context.turnState.get(REGISTERED_TURN_KEY) as RegisteredTurnInfo;
    this.logger.error({ err: error, ...info, activityId: context.activity.id }, 'turn failed');
    await context.sendActivity(this.apology(info.requestId));
  }
}
