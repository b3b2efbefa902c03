// Markdown -> HTML that is safe to put in a page: rules sections, news, release descriptions,
// comments and inbox messages. Two layers, each a maintained library: markdown-it with raw
// HTML off (a `<script>` stays text) and its own link check (javascript:, vbscript:, file:
// and data: links are not made), then sanitize-html keeps only the tags and attributes such a
// text needs, whatever slipped through. Links get rel="nofollow noopener". No images unless
// the caller allows them (release descriptions, when the `descriptionImages` setting is on):
// an outside image tells its host which members read the page, so it is opt-in, https only,
// sent without a referrer, and the CSP admits https images only while the setting is on.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
// Members' text (descriptions, comments, messages) keeps its line breaks: most of it is
// written as plain text, and a description written before it was Markdown still reads right.
const markdownWithBreaks = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
// Section titles are the page's h2; a body's own headings start one level below.
const demote = (tag: string) => () => ({ tagName: tag, attribs: {} });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'code', 'pre', 'blockquote',
    'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  // no style attributes: the CSP refuses inline styles anyway
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    h1: demote('h3'),
    h2: demote('h3'),
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener' }),
  },
};

const WITH_IMAGES: sanitizeHtml.IOptions = {
  ...SANITIZE,
  allowedTags: [...(SANITIZE.allowedTags as string[]), 'img'],
  allowedAttributes: { ...SANITIZE.allowedAttributes, img: ['src', 'alt', 'title', 'loading', 'referrerpolicy'] },
  allowedSchemesByTag: { img: ['https'] },
  transformTags: {
    ...SANITIZE.transformTags,
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy', referrerpolicy: 'no-referrer' } }),
  },
};

export interface MarkdownOptions {
  /** show https images (release descriptions when the setting allows them) */
  images?: boolean;
  /** a single newline is a line break (members' text), not a space (staff documents) */
  breaks?: boolean;
}

export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const html = (options.breaks ? markdownWithBreaks : markdown).render(source);
  return sanitizeHtml(html, options.images ? WITH_IMAGES : SANITIZE);
}
