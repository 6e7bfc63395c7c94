import { createRequire } from 'node:module';
import type * as AdaptiveCardsModule from 'adaptivecards';

const requireFromHere = createRequire(__filename);

/**
 * File of the adaptivecards package's UMD bundle. The package's `lib/` entry is ES module code
 * whose imports leave out file extensions (`./strings`), which Node's module loader does not
 * resolve. The bundle has no imports, loads with require() and works in a page's `<script>` tag.
 */
export const ADAPTIVE_CARDS_BUNDLE_FILE = requireFromHere.resolve(
  'adaptivecards/dist/adaptivecards.js',
);

/** The adaptivecards package's stylesheet for rendered cards. */
export const ADAPTIVE_CARDS_STYLESHEET_FILE = requireFromHere.resolve(
  'adaptivecards/dist/adaptivecards.css',
);

/**
 * The adaptivecards library (the official Adaptive Cards parser and renderer), loaded from its
 * bundle. Its types are those of the package's `lib/` declarations, which describe the same API.
 */
export const AdaptiveCards = requireFromHere(
  ADAPTIVE_CARDS_BUNDLE_FILE,
) as typeof AdaptiveCardsModule;
