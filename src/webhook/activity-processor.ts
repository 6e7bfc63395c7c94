import type { Activity } from 'botframework-schema';
import type { BotLogic, OutgoingWebhookAdapter, WebhookTurnInfo } from '../adapter/webhook-adapter';
import type { Logger } from '../logger';
import { ACCESS_REFUSED_TEXT, checkAccess, type AccessLists } from './access';
import { DeliveryCache } from './delivery-cache';
import { checkTimestamp } from './replay';

export interface ActivityProcessorOptions {
  adapter: OutgoingWebhookAdapter;
  logic: BotLogic;
  logger: Logger;
  access: AccessLists;
  replayWindowSeconds: number;
  replyBudgetMs: number;
  deliveries?: DeliveryCache;
  /** Wall clock for activity timestamps, in epoch milliseconds. */
  wallClock?: () => number;
  /** Monotonic clock for deadlines, in milliseconds; must match the adapter's clock. */
  now?: () => number;
}

/** The response to a verified activity: a reply, or a rejection with its reason. */
export type ProcessResult =
  { status: 200; reply: Partial<Activity>; outcome: string } | { status: 401; reason: string };

/**
 * Runs the checks that need the parsed activity (timestamp, allow-lists, repeated delivery) and
 * then the turn, within the reply budget counted from the request's arrival.
 */
export class ActivityProcessor {
  readonly deliveries: DeliveryCache;
  private readonly wallClock: () => number;
  private readonly now: () => number;

  constructor(private readonly options: ActivityProcessorOptions) {
    this.deliveries = options.deliveries ?? new DeliveryCache();
    this.wallClock = options.wallClock ?? Date.now;
    this.now = options.now ?? (() => performance.now());
  }

  /** `arrivedAt` is the `now()` value when the request arrived. */
  async process(
    activity: Activity,
    info: WebhookTurnInfo,
    arrivedAt: number,
  ): Promise<ProcessResult> {
    const { options } = this;
    const stale = checkTimestamp(activity.timestamp, this.wallClock(), options.replayWindowSeconds);
    if (stale !== undefined) {
      return { status: 401, reason: stale };
    }

    const refused = checkAccess(activity, options.access);
    if (refused !== undefined) {
      options.logger.warn(
        { ...info, reason: refused, userId: activity.from?.aadObjectId },
        'user refused by the allow-lists',
      );
      return {
        status: 200,
        reply: { type: 'message', text: ACCESS_REFUSED_TEXT },
        outcome: 'refused',
      };
    }

    const deadline = arrivedAt + options.replyBudgetMs;
    const key = DeliveryCache.keyOf(info.webhookId, activity);
    const earlier = key === undefined ? undefined : this.deliveries.get(key);
    if (earlier !== undefined) {
      return this.answerRepeat(earlier, info, deadline);
    }

    const turn = options.adapter.processActivity(activity, info, options.logic, deadline);
    if (key !== undefined) {
      this.deliveries.set(
        key,
        turn.then((result) => result.reply),
      );
    }
    const result = await turn;
    return { status: 200, reply: result.reply, outcome: result.outcome };
  }

  /** Returns the first delivery's reply for a repeat, waiting for it until `deadline`. */
  private async answerRepeat(
    earlier: Promise<Partial<Activity>>,
    info: WebhookTurnInfo,
    deadline: number,
  ): Promise<ProcessResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - this.now()));
    });
    const reply = await Promise.race([earlier, timeout]).finally(() => clearTimeout(timer));
    this.options.logger.info({ ...info, answered: reply !== undefined }, 'repeated delivery');
    if (reply === undefined) {
      return {
        status: 200,
        reply: this.options.adapter.stillWorkingReply(info),
        outcome: 'overrun',
      };
    }
    return { status: 200, reply, outcome: 'duplicate' };
  }
}
