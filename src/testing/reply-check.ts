/**
 * Lists why an HTTP response body would not show as a message in Teams; an empty list means it
 * would. Teams shows only its generic "Sorry, there was a problem encountered with your request"
 * for an empty body, `{}`, a JSON string, a bare card or any JSON that is not a message.
 */
export function findReplyProblems(body: string): string[] {
  if (body.trim() === '') {
    return ['The reply body is empty.'];
  }
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch {
    return ['The reply body is not valid JSON.'];
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
    const kind = describeJsonKind(reply);
    return [`The reply is ${kind}; it must be an object with type "message".`];
  }
  return findMessageProblems(reply as Record<string, unknown>);
}

function findMessageProblems(reply: Record<string, unknown>): string[] {
  if (reply.type === 'AdaptiveCard') {
    return [
      'The reply is a bare Adaptive Card; send it as ' +
        '{"type": "message", "attachments": [{"contentType": ' +
        '"application/vnd.microsoft.card.adaptive", "content": <card>}]}.',
    ];
  }
  const problems: string[] = [];
  if (reply.type === undefined) {
    problems.push('The reply has no type; it must have type "message".');
  } else if (reply.type !== 'message') {
    problems.push(`The reply has type ${JSON.stringify(reply.type)}; it must be "message".`);
  }

  const hasText = typeof reply.text === 'string' && reply.text.trim() !== '';
  const attachments = reply.attachments;
  if (attachments !== undefined && !Array.isArray(attachments)) {
    problems.push('The reply\'s "attachments" is not an array.');
  }
  const attachmentList = Array.isArray(attachments) ? attachments : [];
  if (!hasText && attachmentList.length === 0) {
    problems.push('The reply has neither text nor attachments.');
  }
  attachmentList.forEach((attachment, index) => {
    if (!isAttachment(attachment)) {
      problems.push(
        `Attachment ${index + 1} is not an object with a string "contentType" and a "content".`,
      );
    }
  });
  return problems;
}

function isAttachment(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const attachment = value as Record<string, unknown>;
  const hasContent = attachment.content !== undefined || attachment.contentUrl !== undefined;
  return typeof attachment.contentType === 'string' && hasContent;
}

function describeJsonKind(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'an array' : `a JSON ${typeof value}`;
}
