/** The two Teams themes a preview is drawn in. */
export type PreviewTheme = 'light' | 'dark';

export const PREVIEW_THEMES: readonly PreviewTheme[] = ['light', 'dark'];

interface ThemeColors {
  background: string;
  emphasis: string;
  text: string;
  subtle: string;
  accent: string;
  good: string;
  warning: string;
  attention: string;
  separator: string;
}

/**
 * Colours chosen by eye to resemble Teams' light and dark themes. They are an approximation:
 * previews show layout and wording, not Teams' exact pixels.
 */
const THEME_COLORS: Record<PreviewTheme, ThemeColors> = {
  light: {
    background: '#FFFFFF',
    emphasis: '#F5F5F5',
    text: '#242424',
    subtle: '#616161',
    accent: '#5B5FC7',
    good: '#237B4B',
    warning: '#835C00',
    attention: '#C4314B',
    separator: '#E0E0E0',
  },
  dark: {
    background: '#292929',
    emphasis: '#1F1F1F',
    text: '#FFFFFF',
    subtle: '#ADADAD',
    accent: '#7F85F5',
    good: '#92C353',
    warning: '#FFAA44',
    attention: '#F9526B',
    separator: '#3D3D3D',
  },
};

/** Fonts in order of preference: Teams' Segoe UI where present, then Debian's fonts. */
export const PREVIEW_FONT_FAMILY =
  "'Segoe UI', 'DejaVu Sans', 'Noto Sans CJK JP', 'Noto Color Emoji', sans-serif";

function foreground(color: string, subtle: string) {
  return { default: color, subtle };
}

function containerStyle(colors: ThemeColors, background: string) {
  return {
    backgroundColor: background,
    foregroundColors: {
      default: foreground(colors.text, colors.subtle),
      accent: foreground(colors.accent, colors.accent),
      good: foreground(colors.good, colors.good),
      warning: foreground(colors.warning, colors.warning),
      attention: foreground(colors.attention, colors.attention),
      dark: foreground('#242424', '#616161'),
      light: foreground('#FFFFFF', '#ADADAD'),
    },
  };
}

/** Returns an Adaptive Cards host config that resembles Teams in `theme`. */
export function teamsHostConfig(theme: PreviewTheme): Record<string, unknown> {
  const colors = THEME_COLORS[theme];
  return {
    supportsInteractivity: true,
    fontFamily: PREVIEW_FONT_FAMILY,
    fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: colors.separator },
    imageSizes: { small: 32, medium: 52, large: 100 },
    containerStyles: {
      default: containerStyle(colors, colors.background),
      emphasis: containerStyle(colors, colors.emphasis),
    },
    actions: {
      maxActions: 6,
      spacing: 'default',
      buttonSpacing: 8,
      showCard: { actionMode: 'inline', inlineTopMargin: 16 },
      actionsOrientation: 'horizontal',
      actionAlignment: 'left',
    },
    factSet: {
      title: { weight: 'bolder', wrap: true, maxWidth: 160 },
      value: { wrap: true },
      spacing: 12,
    },
  };
}

/** Returns the colours of the chat around a card in `theme`, for the preview page. */
export function themeColors(theme: PreviewTheme): ThemeColors {
  return THEME_COLORS[theme];
}
