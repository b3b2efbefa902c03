// Staff-written Markdown -> HTML that is safe to put in a page. Two layers, each a maintained
// library: markdown-it with raw HTML off (a `<script>` stays text) and its own link check
// (javascript:, vbscript:, file: and data: links are not made), then sanitize-html keeps only
// the tags and attributes a rules text needs, whatever slipped through. No images: an
// outside image would tell its host which members read the page (and the CSP refuses them).
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
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

export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE);
}
