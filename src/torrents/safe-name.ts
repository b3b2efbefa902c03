// Names members see and clients use as the top file or directory of a download (BEP 3 info
// `name`), and the release names members type. Views escape HTML, but some characters do harm
// as text: a slash makes a name a path; Windows cannot create a file or directory named after
// a device (CON, NUL, COM1..., also with any extension: "nul.tar.gz" is NUL); direction
// overrides (U+202E) make "gpj.exe" read as "exe.jpg"; zero-width and control characters hide
// what a name really is, or break headers and feeds.

/** Windows device names; COM and LPT also take the superscript digits 1-3. */
const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;
/** Bidirectional formatting characters (Unicode UAX #9): marks, embeddings, overrides, isolates. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Characters that take no space: zero-width space/joiners, word joiner, invisible operators, BOM, soft hyphen. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/u;
/** C0, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const HIDDEN = new RegExp(`${BIDI.source}|${INVISIBLE.source}|${CONTROL.source}`, 'gu');

const codePoint = (text: string, pattern: RegExp): string => {
  const char = text.match(pattern)![0];
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** The Windows device a file or directory name stands for (its part before the first dot), or null. */
export function windowsDevice(name: string): string | null {
  const base = name.split('.')[0].replace(/[ ]+$/, '');
  return DEVICE.test(base) ? base.toUpperCase() : null;
}

export type NameIssue = 'slash' | 'control' | 'bidi' | 'invisible' | 'device';
export const NAME_ISSUES: readonly NameIssue[] = ['slash', 'control', 'bidi', 'invisible', 'device'];

/** What is wrong with a name, and the character or device it is about, or null when it is fine. */
export function nameIssue(name: string): { issue: NameIssue; detail: string } | null {
  if (name.includes('/') || name.includes('\\')) return { issue: 'slash', detail: '' };
  if (CONTROL.test(name)) return { issue: 'control', detail: codePoint(name, CONTROL) };
  if (BIDI.test(name)) return { issue: 'bidi', detail: codePoint(name, BIDI) };
  if (INVISIBLE.test(name)) return { issue: 'invisible', detail: codePoint(name, INVISIBLE) };
  const device = windowsDevice(name);
  return device ? { issue: 'device', detail: device } : null;
}

const ENGLISH: Record<NameIssue, (detail: string) => string> = {
  slash: () => 'contains a slash: a name is one file or folder name, not a path',
  control: (detail) => `contains a control character (${detail})`,
  bidi: (detail) => `contains a text-direction control character (${detail}), which can make a name read as another`,
  invisible: (detail) => `contains an invisible character (${detail})`,
  device: (detail) => `is a device name on Windows (${detail}), which no Windows client can save`,
};

/**
 * Why a name may not be used, in English, as the end of a sentence ("The name ... contains a
 * slash"), or null when it is fine. The pages say it in the reader's language (nameIssue).
 */
export function nameProblem(name: string): string | null {
  const found = nameIssue(name);
  return found ? ENGLISH[found.issue](found.detail) : null;
}

/**
 * A stored name shown safely: direction, invisible and control characters (accepted before
 * these checks existed) become a visible U+FFFD, so they cannot disguise the text around them.
 */
export function visibleName(name: string): string {
  return name.replace(HIDDEN, '\ufffd');
}

/** The same characters written as \u escapes, for error messages that quote member data. */
export function escapeHidden(text: string): string {
  return text.replace(HIDDEN, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
