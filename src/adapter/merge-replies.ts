import { ActivityTypes, type Activity, type Attachment, type Entity } from 'botframework-schema';

/**
 * Merges everything a turn sent into the one message an outgoing webhook can return: texts
 * joined by a blank line, attachments and entities in the order sent. Typing, trace and delay
 * activities have no meaning in an HTTP reply and are dropped. Returns undefined when nothing
 * visible was sent.
 */
export function mergeReplies(sent: readonly Partial<Activity>[]): Partial<Activity> | undefined {
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  const entities: Entity[] = [];
  let attachmentLayout: string | undefined;

  for (const activity of sent) {
    if (activity.type !== undefined && activity.type !== ActivityTypes.Message) {
      continue;
    }
    if (typeof activity.text === 'string' && activity.text.trim() !== '') {
      texts.push(activity.text);
    }
    attachments.push(...(activity.attachments ?? []));
    entities.push(...(activity.entities ?? []));
    attachmentLayout ??= activity.attachmentLayout;
  }

  if (texts.length === 0 && attachments.length === 0) {
    return undefined;
  }
  const reply: Partial<Activity> = { type: ActivityTypes.Message };
  if (texts.length > 0) {
    reply.text = texts.join('\n\n');
  }
  if (attachments.length > 0) {
    reply.attachments = attachments;
  }
  if (entities.length > 0) {
    reply.entities = entities;
  }
  if (attachmentLayout !== undefined && attachments.length > 1) {
    reply.attachmentLayout = attachmentLayout;
  }
  return reply;
}
