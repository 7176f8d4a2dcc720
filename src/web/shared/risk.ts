/**
 * Colours of risk levels on maps and graphs (strokes and fills, not text: text uses the badges of
 * ui.css). Told apart by hue as well as lightness: green, blue, amber, red, dark red.
 */
export const riskColours: Record<string, string> = {
  none: '#075223',
  low: '#1d5fa8',
  medium: '#b36b00',
  high: '#d00000',
  critical: '#6a0000',
};
