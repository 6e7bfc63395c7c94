/** A button or tap target of a card; `url` is set for open-URL actions. */
export interface CardButton {
  title: string;
  /** The action type as the card spells it, for example `Action.OpenUrl` or `openUrl`. */
  type: string;
  url?: string;
}

/** A fact of a FactSet: its title and value as the card spells them. */
export interface CardFact {
  title: string;
  value: string;
}

/** One text of a card, or the facts of one FactSet. */
export type CardPart = { text: string } | { facts: CardFact[] };

/** The visible parts of one card, in reading order. */
export interface CardSummary {
  /** `Adaptive Card 1.4`, `hero card`, `thumbnail card`, or the attachment's content type. */
  kind: string;
  title?: string;
  texts: string[];
  facts: CardFact[];
  /** The texts and fact sets in the order the card shows them, without the title. */
  parts: CardPart[];
  buttons: CardButton[];
  /** Image URLs. */
  images: string[];
}

/** A mention entity of the reply: the `<at>` text and the account it points to. */
export interface MentionSummary {
  text: string;
  id: string;
  name: string;
}

/** The readable parts of a reply message. */
export interface ReplySummary {
  text?: string;
  mentions: MentionSummary[];
  cards: CardSummary[];
}

type JsonObject = Record<string, unknown>;

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const HERO_CARD = 'application/vnd.microsoft.card.hero';
const THUMBNAIL_CARD = 'application/vnd.microsoft.card.thumbnail';
const OPEN_URL_TYPES = ['Action.OpenUrl', 'openUrl'];
const HEADING_SIZES = ['medium', 'large', 'extralarge'];

/**
 * Collects the text, mentions and cards of a reply. Adaptive Cards are walked through
 * containers, column sets, tables, action sets and show-card actions; hero and thumbnail cards
 * give their title, text, images and buttons. Anything that is not an object gives an empty
 * summary.
 */
export function summarizeReply(reply: unknown): ReplySummary {
  const message = isObject(reply) ? reply : {};
  return {
    text: typeof message.text === 'string' && message.text !== '' ? message.text : undefined,
    mentions: objects(message.entities)
      .filter((entity) => entity.type === 'mention')
      .map(summarizeMention),
    cards: objects(message.attachments).map(summarizeAttachment),
  };
}

/** Returns whether a card action works in an outgoing-webhook reply; only open-URL does. */
export function isOpenUrlAction(type: string): boolean {
  return OPEN_URL_TYPES.includes(type);
}

function summarizeMention(entity: JsonObject): MentionSummary {
  const mentioned = isObject(entity.mentioned) ? entity.mentioned : {};
  return { text: text(entity.text), id: text(mentioned.id), name: text(mentioned.name) };
}

function summarizeAttachment(attachment: JsonObject): CardSummary {
  const contentType = text(attachment.contentType);
  const content = isObject(attachment.content) ? attachment.content : {};
  if (contentType === ADAPTIVE_CARD) {
    return summarizeAdaptiveCard(content);
  }
  if (contentType === HERO_CARD || contentType === THUMBNAIL_CARD) {
    return summarizeBotCard(contentType === HERO_CARD ? 'hero card' : 'thumbnail card', content);
  }
  const summary = emptySummary(contentType || 'attachment without a content type');
  if (typeof attachment.contentUrl === 'string') {
    summary.images.push(attachment.contentUrl);
  }
  return summary;
}

function summarizeAdaptiveCard(card: JsonObject): CardSummary {
  const version = typeof card.version === 'string' ? card.version : 'without a version';
  const summary = emptySummary(`Adaptive Card ${version}`);
  walkElements(card.body, summary);
  walkActions(card.actions, summary);
  return summary;
}

function walkElements(elements: unknown, summary: CardSummary): void {
  objects(elements).forEach((element) => walkElement(element, summary));
}

function walkElement(element: JsonObject, summary: CardSummary): void {
  switch (element.type) {
    case 'TextBlock':
      addText(summary, text(element.text), isHeading(element));
      break;
    case 'RichTextBlock':
      addText(summary, richText(element.inlines), false);
      break;
    case 'FactSet':
      addFacts(summary, objects(element.facts));
      break;
    case 'Image':
      addImage(summary, element);
      break;
    case 'ImageSet':
      objects(element.images).forEach((image) => addImage(summary, image));
      break;
    case 'ActionSet':
      walkActions(element.actions, summary);
      break;
    default:
      walkChildren(element, summary);
  }
  if (isObject(element.selectAction)) {
    walkAction(element.selectAction, summary, '(tap)');
  }
}

/** Containers, columns, column sets and tables hold further elements. */
function walkChildren(element: JsonObject, summary: CardSummary): void {
  walkElements(element.items, summary);
  objects(element.columns).forEach((column) => walkElement({ type: 'Column', ...column }, summary));
  objects(element.rows).forEach((row) => {
    objects(row.cells).forEach((cell) => walkElement({ type: 'TableCell', ...cell }, summary));
  });
}

function walkActions(actions: unknown, summary: CardSummary): void {
  objects(actions).forEach((action) => walkAction(action, summary));
}

function walkAction(action: JsonObject, summary: CardSummary, fallbackTitle = '(no title)'): void {
  const type = text(action.type) || 'action without a type';
  const button: CardButton = { title: text(action.title) || fallbackTitle, type };
  if (isOpenUrlAction(type)) {
    button.url = text(action.url);
  }
  summary.buttons.push(button);
  if (isObject(action.card)) {
    walkElements(action.card.body, summary);
    walkActions(action.card.actions, summary);
  }
}

function summarizeBotCard(kind: string, card: JsonObject): CardSummary {
  const summary = emptySummary(kind);
  summary.title = text(card.title) || undefined;
  [card.subtitle, card.text].forEach((value) => addText(summary, text(value), false));
  objects(card.images).forEach((image) => addImage(summary, image));
  objects(card.buttons).forEach((button) => summary.buttons.push(botCardButton(button)));
  if (isObject(card.tap)) {
    summary.buttons.push(botCardButton({ title: '(tap)', ...card.tap }));
  }
  return summary;
}

function botCardButton(action: JsonObject): CardButton {
  const type = text(action.type) || 'action without a type';
  const button: CardButton = { title: text(action.title) || '(no title)', type };
  if (isOpenUrlAction(type)) {
    button.url = text(action.value);
  }
  return button;
}

/** Adds a card text; the first one becomes the title when it is styled as a heading. */
function addText(summary: CardSummary, value: string, heading: boolean): void {
  if (value === '') {
    return;
  }
  const isFirstText = summary.title === undefined && summary.texts.length === 0;
  if (heading && isFirstText) {
    summary.title = value;
  } else {
    summary.texts.push(value);
    summary.parts.push({ text: value });
  }
}

function addFacts(summary: CardSummary, facts: JsonObject[]): void {
  const factSet = facts.map((fact) => ({ title: text(fact.title), value: text(fact.value) }));
  if (factSet.length > 0) {
    summary.facts.push(...factSet);
    summary.parts.push({ facts: factSet });
  }
}

function addImage(summary: CardSummary, image: JsonObject): void {
  if (typeof image.url === 'string' && image.url !== '') {
    summary.images.push(image.url);
  }
}

function isHeading(block: JsonObject): boolean {
  const size = text(block.size).toLowerCase();
  return (
    text(block.weight).toLowerCase() === 'bolder' ||
    HEADING_SIZES.includes(size) ||
    text(block.style).toLowerCase() === 'heading'
  );
}

function richText(inlines: unknown): string {
  if (!Array.isArray(inlines)) {
    return '';
  }
  return inlines
    .map((inline: unknown) => (isObject(inline) ? text(inline.text) : text(inline)))
    .join('');
}

function emptySummary(kind: string): CardSummary {
  return { kind, texts: [], facts: [], parts: [], buttons: [], images: [] };
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
