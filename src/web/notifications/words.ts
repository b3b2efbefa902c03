// Whole words of a release name, the unit notification filters match on: lower-cased (NFKC, so
// full-width and composed letters compare equal) and split at anything that is not a letter or
// a digit in any script, so "Фильм.2024.1080p.WEB-DL" gives фильм, 2024, 1080p, web, dl. The
// same function reads a filter's words, so both sides always agree.
export const MAX_NAME_WORDS = 64;
export const MAX_FILTER_WORDS = 8;
const MAX_WORD_LENGTH = 64;

export function wordsOf(text: string, limit = MAX_NAME_WORDS): string[] {
  const words = text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  const unique = new Set<string>();
  for (const word of words) {
    if (word !== '' && word.length <= MAX_WORD_LENGTH) unique.add(word);
    if (unique.size >= limit) break;
  }
  return [...unique];
}
