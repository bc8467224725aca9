import escapeHtml from 'escape-html';
import type { EmailAudience, EmailMeeting, EmailWords } from '../../i18n/catalog.js';
import type { EmailKind } from '../../i18n/email-kinds.js';
import { formatDateAndTime } from '../../i18n/format.js';
import { catalogOf, type Language } from '../../i18n/languages.js';
import type { UnsubscribeTarget } from './notifications.links.js';

/*
 * The notification e-mails, from the catalogs' `email` section: a subject, a plain-text version
 * and an HTML version with the same content. Every value can come from a user or a transcript, so
 * the HTML escapes all of them, and a link is only ever one of the URLs the caller gave.
 */

/** What every e-mail is told: whom it greets, which meeting it is about, how to stop it. */
export interface EmailBaseFacts {
  /** The recipient's name; null (or blank) when unknown: the greeting then goes without one. */
  recipientName: string | null;
  /** The Atas customer the e-mail is sent for, in the signature and the footer. */
  organizationName: string;
  topic: string;
  /** When the meeting started; written as a day in `timeZone`. */
  meetingDate: Date;
  /** The IANA time zone every date of the e-mail is written in. */
  timeZone: string;
  /** Stops this kind of e-mail only (one click, no login). */
  unsubscribeUrl: string;
  /** The recipient's notification settings; absent for someone without an account. */
  preferencesUrl?: string;
}

/** How the participants receive the signed PDF: attached to the e-mail, or as a link that expires. */
export type SignedAtaDelivery = { attached: true } | { attached: false; downloadUrl: string; expiresAt: Date };

/** The facts of each kind of e-mail. `minutesUrl` is the minutes' page in the app; `reason` null when not known. */
export interface EmailFacts {
  minutes_ready: EmailBaseFacts & { minutesUrl: string };
  /** `reason` is shown as given: it must already be in the recipient's language. */
  minutes_failed: EmailBaseFacts & { minutesUrl: string; reason: string | null };
  /** `reason` as the signer wrote it; null says that no reason was given. `signerName` null (or blank) when not known. */
  signer_declined: EmailBaseFacts & { minutesUrl: string; signerName: string | null; reason: string | null };
  envelope_voided: EmailBaseFacts & { minutesUrl: string; reason: string | null };
  envelope_completed: EmailBaseFacts & { minutesUrl: string; signedPdfUrl: string };
  /** To participants, who may have no account: no link to the app, only the PDF. */
  signed_ata: EmailBaseFacts & { delivery: SignedAtaDelivery };
}

/** `renderEmail`'s arguments: a kind with that kind's facts, never another's. */
export type EmailArguments = { [Kind in EmailKind]: [kind: Kind, language: Language, facts: EmailFacts[Kind]] }[EmailKind];

export interface RenderedEmail {
  /** One line, under 78 characters for topics of a usual length. */
  subject: string;
  text: string;
  html: string;
}

/** Under 78: the line length RFC 5322 recommends, which mail clients' lists about fit. */
const MAX_SUBJECT_LENGTH = 77;
const MAX_REASON_LENGTH = 1000;

interface Link {
  label: string;
  url: string;
}

interface Paragraph {
  text: string;
  /** Someone else's words (a reason): set apart in the HTML. */
  isQuote?: boolean;
}

/** What a kind says, before the parts every e-mail shares. */
interface Body {
  audience: EmailAudience;
  subject: string;
  paragraphs: Paragraph[];
  action: Link | null;
  /** Further links, after the button. */
  links: Link[];
}

/** An e-mail's content, whatever the format. */
interface Content extends Body {
  language: Language;
  greeting: string;
  signOff: string;
  signature: string;
  footer: string[];
  unsubscribe: { question: string; link: Link };
  preferences: Link | null;
  buttonFallback: string;
}

/**
 * The subject, text and HTML of one e-mail in `language`.
 * Throws when a URL is not an absolute http(s) URL without credentials: it would go into an href.
 */
export function renderEmail(...args: EmailArguments): RenderedEmail {
  const content = contentOf(...args);
  return { subject: content.subject, text: textOf(content), html: htmlOf(content) };
}

function contentOf(...args: EmailArguments): Content {
  const [, language, facts] = args;
  const words = catalogOf(language).email;
  const organizationName = oneLine(facts.organizationName);
  const body = bodyOf(args, words);
  const recipientName = facts.recipientName === null ? '' : oneLine(facts.recipientName);
  return {
    ...body,
    language,
    greeting: words.greeting(recipientName || null),
    signOff: words.signOff,
    signature: words.signature(organizationName),
    footer: [words.whyYouGetThis[body.audience](organizationName)],
    unsubscribe: { question: words.unsubscribe(words.kinds[args[0]].label), link: linkOf(words.unsubscribeLink, facts.unsubscribeUrl) },
    preferences: facts.preferencesUrl === undefined ? null : linkOf(words.preferencesLink, facts.preferencesUrl),
    buttonFallback: words.buttonFallback,
  };
}

function bodyOf([kind, language, facts]: EmailArguments, { kinds }: EmailWords): Body {
  const topic = oneLine(facts.topic);
  const meeting: EmailMeeting = { topic, date: formatDateAndTime(facts.meetingDate, language, facts.timeZone).date };
  const said = (text: string): Paragraph => ({ text });
  const quoted = (text: string): Paragraph => ({ text, isQuote: true });
  const reasonOf = (reason: string | null) => (reason === null ? '' : paragraphs(reason));
  switch (kind) {
    case 'minutes_ready': {
      const words = kinds[kind];
      return { audience: 'owner', subject: subjectOf(words.subject, topic), paragraphs: [said(words.intro(meeting)), said(words.next)], action: linkOf(words.action, facts.minutesUrl), links: [] };
    }
    case 'minutes_failed': {
      const words = kinds[kind];
      const reason = reasonOf(facts.reason);
      const paragraphs = [said(words.intro(meeting)), ...(reason ? [quoted(words.reason(reason))] : []), said(words.next)];
      return { audience: 'owner', subject: subjectOf(words.subject, topic), paragraphs, action: linkOf(words.action, facts.minutesUrl), links: [] };
    }
    case 'signer_declined': {
      const words = kinds[kind];
      const reason = reasonOf(facts.reason);
      const signerName = facts.signerName === null ? '' : oneLine(facts.signerName);
      const paragraphs = [said(words.intro({ ...meeting, signerName: signerName || null })), reason ? quoted(words.reason(reason)) : said(words.noReason), said(words.next)];
      return { audience: 'owner', subject: subjectOf(words.subject, topic), paragraphs, action: linkOf(words.action, facts.minutesUrl), links: [] };
    }
    case 'envelope_voided': {
      const words = kinds[kind];
      const reason = reasonOf(facts.reason);
      const paragraphs = [said(words.intro(meeting)), ...(reason ? [quoted(words.reason(reason))] : []), said(words.next)];
      return { audience: 'owner', subject: subjectOf(words.subject, topic), paragraphs, action: linkOf(words.action, facts.minutesUrl), links: [] };
    }
    case 'envelope_completed': {
      const words = kinds[kind];
      const links = [linkOf(words.viewMinutes, facts.minutesUrl)];
      return { audience: 'owner', subject: subjectOf(words.subject, topic), paragraphs: [said(words.intro(meeting))], action: linkOf(words.action, facts.signedPdfUrl), links };
    }
    case 'signed_ata': {
      const words = kinds[kind];
      const { delivery } = facts;
      const subject = subjectOf(words.subject, topic);
      if (delivery.attached) return { audience: 'participant', subject, paragraphs: [said(words.intro(meeting)), said(words.attached)], action: null, links: [] };
      const expiresAt = formatDateAndTime(delivery.expiresAt, language, facts.timeZone);
      return { audience: 'participant', subject, paragraphs: [said(words.intro(meeting)), said(words.download(expiresAt))], action: linkOf(words.action, delivery.downloadUrl), links: [] };
    }
  }
}

/** The subject with the topic cut, at a word where it can, so that the whole stays under 78 characters. */
function subjectOf(subject: (topic: string) => string, topic: string): string {
  const full = subject(topic);
  if (full.length <= MAX_SUBJECT_LENGTH) return full;
  const room = Math.max(MAX_SUBJECT_LENGTH - (full.length - topic.length) - 1, 1);
  return subject(cut(topic, room));
}

/** At most `maxLength` UTF-16 units of `text` and an ellipsis, never splitting a character (emoji, accents). */
function cut(text: string, maxLength: number): string {
  let kept = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (kept.length + segment.length > maxLength) break;
    kept += segment;
  }
  const lastSpace = kept.lastIndexOf(' ');
  if (lastSpace > maxLength * 0.6) kept = kept.slice(0, lastSpace);
  return `${kept.trimEnd()}…`;
}

/** A name or topic on one line: control characters and runs of white space become one space (no header injection). */
function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
}

/** Someone's words with their line breaks, without other control characters, cut when very long. */
function paragraphs(text: string): string {
  const clean = text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n]|[\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return clean.length > MAX_REASON_LENGTH ? cut(clean, MAX_REASON_LENGTH) : clean;
}

/** Throws unless `url` is an absolute http(s) URL without credentials, written as a browser would keep it. */
function linkOf(label: string, url: string): Link {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // Not echoed in the message: our links carry tokens (unsubscribe, download).
  const isSafe = parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && !parsed.username && !parsed.password && !/[\s\p{Cc}<>"'`\\]/u.test(url);
  if (!isSafe) throw new Error('An e-mail link must be an absolute http(s) URL without credentials, spaces or quotes');
  return { label, url };
}

function textOf(content: Content): string {
  const linkLines = ({ label, url }: Link) => `${label}:\n${url}`;
  const blocks = [
    content.greeting,
    ...content.paragraphs.map(({ text, isQuote }) => (isQuote ? text.replace(/^/gm, '> ') : text)),
    ...(content.action ? [linkLines(content.action)] : []),
    ...content.links.map(linkLines),
    `${content.signOff}\n${content.signature}`,
    '—',
    ...content.footer,
    `${content.unsubscribe.question}\n${linkLines(content.unsubscribe.link)}`,
    ...(content.preferences ? [linkLines(content.preferences)] : []),
  ];
  return `${blocks.join('\n\n')}\n`;
}

/** Escaped text, its line breaks kept. */
const html = (text: string) => escapeHtml(text).replace(/\n/g, '<br>');

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const INK = '#1f2933';
const MUTED = '#6b7280';
const ACCENT = '#1d4ed8';

/**
 * One column of at most 600px in tables with inline styles, as Gmail and Outlook both render it;
 * no images, web fonts or scripts. Only escaped text and the checked URLs go in.
 */
function htmlOf(content: Content): string {
  const anchor = ({ label, url }: Link, color = ACCENT) => `<a href="${escapeHtml(url)}" target="_blank" style="color:${color};text-decoration:underline;">${html(label)}</a>`;
  const paragraph = ({ text, isQuote }: Paragraph) =>
    isQuote
      ? `<p style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d1d5db;background-color:#f9fafb;color:${INK};">${html(text)}</p>`
      : `<p style="margin:0 0 16px;">${html(text)}</p>`;
  const button = ({ label, url }: Link) =>
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px;"><tr>` +
    `<td align="center" bgcolor="${ACCENT}" style="border-radius:4px;background-color:${ACCENT};padding:12px 24px;">` +
    `<a href="${escapeHtml(url)}" target="_blank" style="${FONT}font-size:16px;font-weight:bold;line-height:20px;color:#ffffff;text-decoration:none;display:inline-block;">${html(label)}</a>` +
    `</td></tr></table>` +
    `<p style="margin:0 0 16px;font-size:13px;line-height:20px;color:${MUTED};">${html(content.buttonFallback)}<br>` +
    `<a href="${escapeHtml(url)}" target="_blank" style="color:${ACCENT};word-break:break-all;">${escapeHtml(url)}</a></p>`;
  const footerLinks = [anchor(content.unsubscribe.link, MUTED), ...(content.preferences ? [anchor(content.preferences, MUTED)] : [])].join(' · ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(content.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f5f7;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(content.paragraphs[0]?.text ?? '')}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e1e4e8;border-radius:6px;">
<tr><td style="padding:24px 32px 0;${FONT}font-size:20px;font-weight:bold;line-height:28px;color:${INK};">Atas</td></tr>
<tr><td style="padding:16px 32px 24px;${FONT}font-size:16px;line-height:24px;color:${INK};">
<p style="margin:0 0 16px;">${html(content.greeting)}</p>
${[...content.paragraphs.map(paragraph), ...(content.action ? [button(content.action)] : []), ...content.links.map((link) => `<p style="margin:0 0 16px;">${anchor(link)}</p>`)].join('\n')}
<p style="margin:0;">${html(content.signOff)}<br>${html(content.signature)}</p>
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;">
<tr><td style="padding:16px 32px;${FONT}font-size:12px;line-height:18px;color:${MUTED};">
${content.footer.map((line) => `<p style="margin:0 0 8px;">${html(line)}</p>`).join('\n')}
<p style="margin:0;">${html(content.unsubscribe.question)} ${footerLinks}</p>
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>
`;
}

/** The page an unsubscribe link opens, with no script and no outside resource: the question and its button, or what was stopped. */
export function renderUnsubscribePage(target: UnsubscribeTarget, token: string, isDone: boolean): string {
  const { locale, email: words } = catalogOf(target.language);
  const label = words.kinds[target.kind].label;
  const body = isDone
    ? `<p>${escapeHtml(words.unsubscribePage.done(label, target.email))}</p>`
    : `<p>${escapeHtml(words.unsubscribePage.question(label, target.email))}</p>
<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">${escapeHtml(words.unsubscribePage.button)}</button></form>`;
  return `<!doctype html>
<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(words.unsubscribePage.title)}</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1 style="font-size: 1.25rem">${escapeHtml(words.unsubscribePage.title)}</h1>
${body}
</body></html>`;
}
