import assert from 'node:assert/strict';
import type { Activity } from 'botframework-schema';
import type { WebhookResponse } from '../../../src/testing';

type Json = Record<string, unknown>;

/** Returns the Adaptive Card of a reply, failing when the reply has none. */
export function cardOf(response: WebhookResponse): Json {
  assert.equal(response.status, 200);
  const attachment = response.reply?.attachments?.[0];
  assert.ok(attachment, `expected a card, got text: ${response.reply?.text}`);
  assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
  const card = attachment.content as Json;
  assert.equal(card.version, '1.4');
  assert.doesNotMatch(JSON.stringify(card), /\$\{/, 'every template binding was filled');
  return card;
}

/** Returns the text of a reply, failing when the reply is a card. */
export function textOf(response: WebhookResponse): string {
  assert.equal(response.status, 200);
  const reply = response.reply as Partial<Activity>;
  assert.equal(reply.attachments, undefined, 'expected text, got a card');
  return reply.text ?? '';
}

/** Collects every TextBlock text and fact title and value of a card, in order. */
export function textsOf(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (typeof value === 'object' && value !== null) {
      const node = value as Json;
      if (node.type === 'TextBlock' && typeof node.text === 'string') {
        texts.push(node.text);
      }
      if (typeof node.title === 'string' && typeof node.value === 'string') {
        texts.push(`${node.title}: ${node.value}`);
      }
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return texts;
}

/** Returns the card-level actions as `type url` strings. */
export function actionsOf(card: Json): string[] {
  return ((card.actions as Json[] | undefined) ?? []).map(
    (action) => `${action.type} ${action.url}`,
  );
}
