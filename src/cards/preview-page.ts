import { isJsonObject } from './json-path';
import {
  PREVIEW_FONT_FAMILY,
  teamsHostConfig,
  themeColors,
  type PreviewTheme,
} from './teams-host-config';

/** Width of a card in the preview, in CSS pixels. */
export const PREVIEW_CARD_WIDTH = 500;
/** Space around the card in a preview picture, in CSS pixels. */
export const PREVIEW_MARGIN = 24;

/** Paths the preview server serves the adaptivecards bundle and stylesheet at. */
export const BUNDLE_PATH = '/adaptivecards.js';
export const STYLESHEET_PATH = '/adaptivecards.css';

/**
 * Converts the Markdown subset Teams renders in a TextBlock or fact into HTML: paragraphs,
 * **bold**, _italic_ or *italic*, [links](https://…), and bulleted or numbered lists. Everything
 * else stays plain text, with HTML escaped. This function runs inside the preview page, so it
 * uses nothing from its module.
 */
export function renderTeamsMarkdown(text: string): string {
  const escape = (value: string) =>
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;');
  const inline = (value: string) =>
    escape(value)
      .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2">$1</a>')
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^\w*])\*(?!\s)(.+?)\*(?!\w)/g, '$1<em>$2</em>')
      .replace(/(^|[^\w])_(?!\s)(.+?)_(?!\w)/g, '$1<em>$2</em>');
  const list = (lines: string[], tag: string, marker: RegExp) =>
    `<${tag}>${lines.map((line) => `<li>${inline(line.replace(marker, ''))}</li>`).join('')}</${tag}>`;

  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((line) => /^\s*[-*] /.test(line))) {
        return list(lines, 'ul', /^\s*[-*] /);
      }
      if (lines.every((line) => /^\s*\d+\. /.test(line))) {
        return list(lines, 'ol', /^\s*\d+\. /);
      }
      return `<p>${lines.map(inline).join('<br>')}</p>`;
    })
    .join('');
}

/**
 * Replaces every image URL in `card` with a grey placeholder that names the image's host, so a
 * preview loads nothing from the network. Returns a new card.
 */
export function withPlaceholderImages(card: unknown): unknown {
  if (Array.isArray(card)) {
    return card.map(withPlaceholderImages);
  }
  if (!isJsonObject(card)) {
    return card;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(card)) {
    const isImageUrl =
      (key === 'url' && card.type === 'Image') ||
      (key === 'poster' && card.type === 'Media') ||
      key === 'iconUrl' ||
      (key === 'backgroundImage' && typeof value === 'string');
    copy[key] = isImageUrl ? placeholderImage(value) : withPlaceholderImages(value);
  }
  return copy;
}

function placeholderImage(url: unknown): string {
  let label = 'image';
  try {
    label = `image from ${new URL(String(url)).host}`;
  } catch {
    // Not an absolute URL: the generic label stays.
  }
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90">' +
    '<rect width="160" height="90" fill="#C8C8C8"/>' +
    `<text x="80" y="50" font-size="11" text-anchor="middle" fill="#424242">${escapeXml(label)}</text>` +
    '</svg>';
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Serialises `value` for a `<script type="application/json">` element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function pageStyle(theme: PreviewTheme): string {
  const colors = themeColors(theme);
  const page = theme === 'light' ? '#F5F5F5' : '#1F1F1F';
  return `
    html, body { margin: 0; background: ${page}; }
    body { padding: ${PREVIEW_MARGIN}px; font-family: ${PREVIEW_FONT_FAMILY}; }
    .frame { width: ${PREVIEW_CARD_WIDTH}px; box-sizing: border-box; border-radius: 6px;
      border: 1px solid ${colors.separator}; background: ${colors.background}; overflow: hidden; }
    /* Long ids and URLs wrap instead of running past the edge of the card. */
    .ac-textBlock { overflow-wrap: anywhere !important; }
    .ac-textBlock p { margin: 0; }
    .ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 20px; }
    .ac-textBlock a { color: ${colors.accent}; }
    .ac-pushButton { font-family: ${PREVIEW_FONT_FAMILY}; border-radius: 4px; padding: 5px 12px;
      background: ${colors.background}; color: ${colors.text}; border: 1px solid ${colors.separator}; }
    .error { color: ${colors.attention}; white-space: pre-wrap; padding: 16px; }`;
}

/** The script that renders each `.frame[data-card]` with the adaptivecards bundle. */
const RENDER_SCRIPT = `
  const { AdaptiveCard, HostConfig } = window.AdaptiveCards;
  const renderTeamsMarkdown = ${renderTeamsMarkdown.toString()};
  AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = renderTeamsMarkdown(text);
    result.didProcess = true;
  };
  const input = JSON.parse(document.getElementById('input').textContent);
  const heights = {};
  for (const frame of document.querySelectorAll('.frame')) {
    try {
      const card = new AdaptiveCard();
      card.hostConfig = new HostConfig(input.hostConfig);
      card.parse(input.cards[frame.dataset.card]);
      frame.appendChild(card.render());
    } catch (error) {
      frame.innerHTML = '<div class="error"></div>';
      frame.firstChild.textContent = 'The card could not be rendered: ' + error.message;
    }
    heights[frame.dataset.card] = Math.ceil(frame.getBoundingClientRect().height);
  }
  document.body.dataset.heights = JSON.stringify(heights);`;

/**
 * Builds an HTML page that renders `cards` (name to expanded card) with the adaptivecards bundle
 * in `theme`, one under the other. After its script runs, `data-heights` on the body contains each
 * card's height in CSS pixels. The Content-Security-Policy lets the page load only from its own
 * server and data: URLs.
 */
export function buildPreviewPage(cards: Record<string, unknown>, theme: PreviewTheme): string {
  const frames = Object.keys(cards)
    .map((name) => `<div class="frame" data-card="${escapeXml(name)}"></div>`)
    .join('\n');
  const input = { hostConfig: teamsHostConfig(theme), cards };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:">
<title>Card preview</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<style>${pageStyle(theme)}</style>
</head>
<body>
${frames}
<script type="application/json" id="input">${jsonForScript(input)}</script>
<script src="${BUNDLE_PATH}"></script>
<script>${RENDER_SCRIPT}</script>
</body>
</html>
`;
}
