/**
 * Rules for the cards of an outgoing-webhook reply. The webhook has no bot identity to receive a
 * submit, so only open-URL actions do anything. Every other action is a button that does nothing.
 */

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const HERO_CARD = 'application/vnd.microsoft.card.hero';
export const THUMBNAIL_CARD = 'application/vnd.microsoft.card.thumbnail';

/** One place in a card that breaks a rule: a JSON path from the card root, such as `$.actions[1]`. */
export interface CardViolation {
  path: string;
  /** The offending action type, for example `Action.Submit` or `imBack`. */
  actionType: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compares two `major.minor` versions; NaN when either does not parse. */
export function compareCardVersions(a: string, b: string): number {
  const pattern = /^(\d+)(?:\.(\d+))?$/;
  const left = pattern.exec(a.trim());
  const right = pattern.exec(b.trim());
  if (left === null || right === null) {
    return Number.NaN;
  }
  const major = Number(left[1]) - Number(right[1]);
  return major !== 0 ? major : Number(left[2] ?? 0) - Number(right[2] ?? 0);
}

/**
 * Removes every Adaptive Card action that is not `Action.OpenUrl`: in `actions` arrays (card and
 * ActionSet), `selectAction` anywhere, and inside `Action.ShowCard` cards, which are removed
 * whole because ShowCard is not open-URL either. Returns a new card and where actions were.
 */
export function stripAdaptiveCardActions(card: Json): { card: Json; removed: CardViolation[] } {
  const removed: CardViolation[] = [];
  const cleaned = walkAdaptive(card, '$', removed) as Json;
  return { card: cleaned, removed };
}

function walkAdaptive(value: unknown, path: string, removed: CardViolation[]): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => walkAdaptive(item, `${path}[${index}]`, removed));
  }
  if (!isObject(value)) {
    return value;
  }
  const result: Json = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    if (key === 'actions' && Array.isArray(child)) {
      result[key] = keepOpenUrlActions(child, childPath, removed);
    } else if (key === 'selectAction' && isObject(child)) {
      if (isOpenUrlAction(child)) {
        result[key] = child;
      } else {
        removed.push({ path: childPath, actionType: String(child.type) });
      }
    } else {
      result[key] = walkAdaptive(child, childPath, removed);
    }
  }
  return result;
}

function keepOpenUrlActions(actions: unknown[], path: string, removed: CardViolation[]): unknown[] {
  const kept: unknown[] = [];
  actions.forEach((action, index) => {
    if (isObject(action) && isOpenUrlAction(action)) {
      kept.push(walkAdaptive(action, `${path}[${index}]`, removed));
    } else {
      const actionType = isObject(action) ? String(action.type) : typeof action;
      removed.push({ path: `${path}[${index}]`, actionType });
    }
  });
  return kept;
}

function isOpenUrlAction(action: Json): boolean {
  return action.type === 'Action.OpenUrl';
}

/**
 * Removes every hero or thumbnail card button and tap whose type is not `openUrl`, at `buttons`,
 * `tap`, and the `tap` of each image.
 */
export function stripRichCardActions(card: Json): { card: Json; removed: CardViolation[] } {
  const removed: CardViolation[] = [];
  const cleaned: Json = { ...card };
  if (Array.isArray(card.buttons)) {
    cleaned.buttons = card.buttons.filter((button, index) =>
      keepCardAction(button, `$.buttons[${index}]`, removed),
    );
  }
  if (card.tap !== undefined && !keepCardAction(card.tap, '$.tap', removed)) {
    delete cleaned.tap;
  }
  if (Array.isArray(card.images)) {
    cleaned.images = card.images.map((image, index) => {
      if (!isObject(image) || image.tap === undefined) {
        return image;
      }
      if (keepCardAction(image.tap, `$.images[${index}].tap`, removed)) {
        return image;
      }
      const withoutTap = { ...image };
      delete withoutTap.tap;
      return withoutTap;
    });
  }
  return { card: cleaned, removed };
}

function keepCardAction(action: unknown, path: string, removed: CardViolation[]): boolean {
  if (isObject(action) && action.type === 'openUrl') {
    return true;
  }
  removed.push({ path, actionType: isObject(action) ? String(action.type) : typeof action });
  return false;
}

/** Lists every action that is not open-URL in a card of any supported content type. */
export function findDisallowedActions(contentType: string, content: unknown): CardViolation[] {
  if (!isObject(content)) {
    return [];
  }
  if (contentType === ADAPTIVE_CARD) {
    return stripAdaptiveCardActions(content).removed;
  }
  if (contentType === HERO_CARD || contentType === THUMBNAIL_CARD) {
    return stripRichCardActions(content).removed;
  }
  return [];
}
