import { ADAPTIVE_CARD, compareCardVersions } from './card-rules';
import { formatChildPath, isJsonObject, walkJson, type JsonObject } from './json-path';

/** A place in an expanded card that breaks a Teams limit, by output JSON path. */
export interface LimitViolation {
  path: string;
  message: string;
  fix: string;
}

const VERSION_FORMAT = /^\d+\.\d+$/;

/** Reports a missing or malformed `version`, or one above `maxVersion`. */
export function checkCardVersion(card: JsonObject, maxVersion: string): LimitViolation[] {
  const version = card.version;
  const fix =
    `Set "version" to "${maxVersion}" or lower and use only features of that version ` +
    '(MAX_CARD_VERSION sets the maximum).';
  if (typeof version !== 'string' || !VERSION_FORMAT.test(version)) {
    const found = version === undefined ? 'no "version"' : `"version" ${JSON.stringify(version)}`;
    return [{ path: '$.version', message: `the card declares ${found}`, fix }];
  }
  if (compareCardVersions(version, maxVersion) > 0) {
    return [
      {
        path: '$.version',
        message: `the card declares version ${version}, above the configured maximum ${maxVersion}`,
        fix,
      },
    ];
  }
  return [];
}

/** Returns the size of the reply that carries `card` as its only attachment, in UTF-8 bytes. */
export function measureReplyBytes(card: unknown): number {
  const reply = {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD, content: card }],
  };
  return Buffer.byteLength(JSON.stringify(reply), 'utf8');
}

/** Reports a card whose reply would exceed `maxBytes`, naming its largest parts. */
export function checkReplySize(card: JsonObject, maxBytes: number): LimitViolation[] {
  const bytes = measureReplyBytes(card);
  if (bytes <= maxBytes) {
    return [];
  }
  const largest = listParts(card)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((part) => `${part.path} (${part.bytes} bytes)`);
  return [
    {
      path: '$',
      message: `the reply carrying this card is ${bytes} bytes of UTF-8, over the limit of ${maxBytes}`,
      fix:
        `Shorten the card or show fewer repeated items; the largest parts are ${largest.join(', ')}. ` +
        'The limit is MAX_REPLY_BYTES.',
    },
  ];
}

/** Lists the card's body elements and actions with their serialised sizes. */
function listParts(card: JsonObject): { path: string; bytes: number }[] {
  const parts: { path: string; bytes: number }[] = [];
  for (const key of ['body', 'actions']) {
    const items = card[key];
    if (Array.isArray(items)) {
      items.forEach((item, index) =>
        parts.push({
          path: formatChildPath(formatChildPath('$', key), index),
          bytes: Buffer.byteLength(JSON.stringify(item) ?? '', 'utf8'),
        }),
      );
    }
  }
  return parts;
}

/**
 * Lists every image URL in a card with its JSON path: the `url` of each Image, `backgroundImage`
 * (a URL or an object with `url`), the `iconUrl` of actions and the `poster` of Media.
 */
export function listImageUrls(card: unknown): { path: string; url: unknown }[] {
  const urls: { path: string; url: unknown }[] = [];
  walkJson(card, (node, path) => {
    if (!isJsonObject(node)) {
      return;
    }
    if (node.type === 'Image' && 'url' in node) {
      urls.push({ path: formatChildPath(path, 'url'), url: node.url });
    }
    if (node.type === 'Media' && 'poster' in node) {
      urls.push({ path: formatChildPath(path, 'poster'), url: node.poster });
    }
    if ('iconUrl' in node) {
      urls.push({ path: formatChildPath(path, 'iconUrl'), url: node.iconUrl });
    }
    const background = node.backgroundImage;
    if (typeof background === 'string') {
      urls.push({ path: formatChildPath(path, 'backgroundImage'), url: background });
    } else if (isJsonObject(background) && 'url' in background) {
      const backgroundPath = formatChildPath(path, 'backgroundImage');
      urls.push({ path: formatChildPath(backgroundPath, 'url'), url: background.url });
    }
  });
  return urls;
}

/** Returns true for an absolute https URL. */
export function isHttpsUrl(url: unknown): boolean {
  if (typeof url !== 'string') {
    return false;
  }
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Reports image URLs that are not absolute https URLs. Microsoft's Teams cards reference
 * ("Inline card images") specifies an HTTPS URL to a PNG, JPEG or GIF image; `data:` URLs are
 * reported too because they make the reply large.
 */
export function checkImageUrls(card: unknown): LimitViolation[] {
  return listImageUrls(card)
    .filter(({ url }) => !isHttpsUrl(url))
    .map(({ path, url }) => ({
      path,
      message: `the image URL ${JSON.stringify(url)} is not an absolute https URL`,
      fix: 'Host the image on an https server and use its full https:// URL.',
    }));
}
