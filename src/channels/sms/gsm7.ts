/**
 * GSM 03.38 (GSM-7) helpers: an SMS of up to 160 GSM-7 characters is one segment; any other
 * character switches the whole message to UCS-2 (70 per segment).
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENDED = '^{}\\[~]|€\f';
const BASIC_SET = new Set(BASIC);
const EXTENDED_SET = new Set(EXTENDED);

export const GSM7_SEGMENT = 160;
export const UCS2_SEGMENT = 70;
export const SMS_MAX_LENGTH = 1600;

/** Look-alikes that cost nothing to swap for GSM-7 characters. */
const SUBSTITUTIONS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u200b': '',
  '\t': ' ',
  '`': "'",
  '\u2022': '-',
  '\u00b7': '-',
};

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC_SET.has(ch) && !EXTENDED_SET.has(ch)) return false;
  return true;
}

/** Septets used: extension-table characters count twice. */
export function gsm7Length(text: string): number {
  let n = 0;
  for (const ch of text) n += EXTENDED_SET.has(ch) ? 2 : 1;
  return n;
}

/** Replaces typographic look-alikes (curly quotes, dashes, ellipsis, odd spaces) with GSM-7 ones. */
export function normaliseForGsm7(text: string): string {
  let out = '';
  for (const ch of text) out += SUBSTITUTIONS[ch] ?? ch;
  return out;
}

/** Length as the SMS encoding counts it (septets for GSM-7, UTF-16 units for UCS-2). */
export function smsLength(text: string): number {
  return isGsm7(text) ? gsm7Length(text) : text.length;
}

/** Cuts text to at most `max` (as `smsLength` counts), ending with `...` when cut. */
export function truncateSms(text: string, max: number): string {
  if (smsLength(text) <= max) return text;
  const ellipsis = '...';
  const chars = [...text];
  while (chars.length > 0 && smsLength(chars.join('') + ellipsis) > max) chars.pop();
  return chars.join('') + ellipsis;
}
