import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../i18n/catalog.js';
import { emailKinds, type EmailKind } from '../../i18n/email-kinds.js';
import { catalogOf, languages, type Language } from '../../i18n/languages.js';
import { renderEmail, renderUnsubscribePage, type EmailArguments, type EmailBaseFacts, type EmailFacts, type RenderedEmail } from './notifications.templates.js';

const urls = {
  minutes: 'https://app.atas.example/minutes/9f1c?tab=review&from=email',
  unsubscribe: 'https://app.atas.example/unsubscribe?token=abc123&kind=x',
  preferences: 'https://app.atas.example/settings/notifications',
  signedPdf: 'https://app.atas.example/minutes/9f1c/signed.pdf',
  download: 'https://files.atas.example/d/7e2b?signature=q%2Bz&expires=1805000000',
};

const base: EmailBaseFacts = {
  recipientName: 'Ana Souza',
  organizationName: 'Condomínio Jardim Primavera',
  topic: 'Conselho de março',
  // 23:30 on the 9th in São Paulo, already the 10th in UTC.
  meetingDate: new Date('2027-03-10T02:30:00Z'),
  timeZone: 'America/Sao_Paulo',
  unsubscribeUrl: urls.unsubscribe,
  preferencesUrl: urls.preferences,
};

const expiresAt = new Date('2027-03-17T02:30:00Z');

/** The facts of each kind, on `facts`: with a reason where the kind takes one. */
function factsOf(facts: EmailBaseFacts = base): { [Kind in EmailKind]: EmailFacts[Kind] } {
  return {
    minutes_ready: { ...facts, minutesUrl: urls.minutes },
    minutes_failed: { ...facts, minutesUrl: urls.minutes, reason: 'Tempo de gravação insuficiente' },
    signer_declined: { ...facts, minutesUrl: urls.minutes, signerName: 'Bruno Lima', reason: 'Discordo do item 2' },
    envelope_voided: { ...facts, minutesUrl: urls.minutes, reason: 'Pauta alterada' },
    envelope_completed: { ...facts, minutesUrl: urls.minutes, signedPdfUrl: urls.signedPdf },
    signed_ata: { ...facts, delivery: { attached: false, downloadUrl: urls.download, expiresAt } },
  };
}

/** Every kind in `language`, and the variants: no reason, the signed PDF attached, no name, no settings link. */
function everyEmailIn(language: Language, facts: EmailBaseFacts = base): EmailArguments[] {
  const of = factsOf(facts);
  return [
    ...emailKinds.map((kind) => [kind, language, of[kind]] as EmailArguments),
    ['minutes_failed', language, { ...of.minutes_failed, reason: null }],
    ['signer_declined', language, { ...of.signer_declined, reason: null }],
    ['signer_declined', language, { ...of.signer_declined, signerName: null }],
    ['envelope_voided', language, { ...of.envelope_voided, reason: null }],
    ['signed_ata', language, { ...of.signed_ata, recipientName: null, preferencesUrl: undefined, delivery: { attached: true } }],
  ];
}

const kindsAndLanguages = languages.flatMap((language) => emailKinds.map((kind) => [kind, language] as const));

function render(kind: EmailKind, language: Language, facts: EmailBaseFacts = base): RenderedEmail {
  return renderEmail(...([kind, language, factsOf(facts)[kind]] as EmailArguments));
}

const decodeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity]!);
const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => decodeHtml(match[1]!));
/** The text a reader sees in the HTML: no tags, no hidden preheader, entities decoded. */
const visibleTextOf = (html: string) => decodeHtml(html.replace(/<div style="display:none[^>]*>.*?<\/div>/s, '').replace(/<!--.*?-->/gs, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
/** The URLs of an e-mail's facts, whichever kind. */
const urlsIn = (facts: object): string[] => Object.values(facts).flatMap((value: unknown) => (typeof value === 'string' && value.startsWith('http') ? [value] : value && typeof value === 'object' && !(value instanceof Date) ? urlsIn(value) : []));

describe('renderEmail', () => {
  it.each(kindsAndLanguages)('writes a %s e-mail in %s with the topic, the date, the links and the shared parts', (kind, language) => {
    const { email } = catalogOf(language);
    const facts = factsOf()[kind];
    const { subject, text, html } = render(kind, language);
    for (const part of [subject, text, html]) expect(part.trim()).not.toBe('');
    expect(subject).toBe(email.kinds[kind].subject('Conselho de março'));
    expect(subject).not.toMatch(/\n/);
    const date = { 'pt-BR': '9 de março de 2027', en: '9 March 2027', es: '9 de marzo de 2027' }[language];
    for (const part of [text, visibleTextOf(html)]) {
      expect(part).toContain('Conselho de março');
      expect(part).toContain(date);
      expect(part).toContain(email.greeting('Ana Souza'));
      expect(part).toContain(email.signature('Condomínio Jardim Primavera'));
      expect(part).toContain(email.unsubscribe(email.kinds[kind].label));
      expect(part).toContain(email.unsubscribeLink);
      expect(part).toContain(email.preferencesLink);
      expect(part).toContain(email.whyYouGetThis[kind === 'signed_ata' ? 'participant' : 'owner']('Condomínio Jardim Primavera'));
    }
    const given = urlsIn(facts);
    expect(given).toEqual(expect.arrayContaining([urls.unsubscribe, urls.preferences, kind === 'signed_ata' ? urls.download : urls.minutes]));
    for (const url of given) {
      expect(text).toContain(`\n${url}\n`);
      expect(hrefsOf(html)).toContain(url);
    }
    expect(new Set(hrefsOf(html))).toEqual(new Set(given));
  });

  it.each(languages)('says in %s who declined, and why or that no reason was given', (language) => {
    const words = catalogOf(language).email.kinds.signer_declined;
    const declined = factsOf().signer_declined;
    const { text, html } = renderEmail('signer_declined', language, declined);
    expect(text).toContain('Bruno Lima');
    expect(text).toContain(words.reason('Discordo do item 2'));
    expect(visibleTextOf(html)).toContain(words.reason('Discordo do item 2'));
    const silent = renderEmail('signer_declined', language, { ...declined, reason: null });
    expect(silent.text).toContain(words.noReason);
    expect(visibleTextOf(silent.html)).toContain(words.noReason);
    expect(silent.text).not.toContain(words.reason(''));
    for (const signerName of [null, ' ']) {
      const unknown = renderEmail('signer_declined', language, { ...declined, signerName });
      expect(unknown.text).toContain(words.intro({ topic: 'Conselho de março', date: { 'pt-BR': '9 de março de 2027', en: '9 March 2027', es: '9 de marzo de 2027' }[language], signerName: null }));
    }
  });

  it.each(languages)('gives the reason of a failure or a voided envelope in %s only when there is one', (language) => {
    const { kinds } = catalogOf(language).email;
    const of = factsOf();
    expect(renderEmail('minutes_failed', language, of.minutes_failed).text).toContain(kinds.minutes_failed.reason('Tempo de gravação insuficiente'));
    expect(renderEmail('envelope_voided', language, of.envelope_voided).text).toContain(kinds.envelope_voided.reason('Pauta alterada'));
    expect(renderEmail('minutes_failed', language, { ...of.minutes_failed, reason: null }).text).not.toContain(kinds.minutes_failed.reason('').trim());
    expect(renderEmail('envelope_voided', language, { ...of.envelope_voided, reason: '   ' }).text).not.toContain(kinds.envelope_voided.reason('').trim());
  });

  it.each([
    ['pt-BR', '16 de março de 2027, às 23:30'],
    ['en', '16 March 2027 at 23:30'],
    ['es', '16 de marzo de 2027, a las 23:30'],
  ] as const)('sends the signed ata in %s as a link that expires, or attached', (language, expiry) => {
    const words = catalogOf(language).email.kinds.signed_ata;
    const signed = factsOf().signed_ata;
    // Expires at 02:30 UTC on the 17th: 23:30 on the 16th in São Paulo.
    const linked = renderEmail('signed_ata', language, signed);
    expect(linked.text).toContain(expiry);
    expect(visibleTextOf(linked.html)).toContain(expiry);
    expect(linked.text).toContain(`${words.action}:\n${urls.download}`);
    expect(linked.text).not.toContain(words.attached);
    const attached = renderEmail('signed_ata', language, { ...signed, delivery: { attached: true } });
    expect(attached.text).toContain(words.attached);
    expect(visibleTextOf(attached.html)).toContain(words.attached);
    expect(attached.text).not.toContain(urls.download);
    expect(hrefsOf(attached.html)).toEqual([urls.unsubscribe, urls.preferences]);
  });

  it('links the signed PDF and the minutes when an envelope completes', () => {
    const { text, html } = renderEmail('envelope_completed', 'pt-BR', factsOf().envelope_completed);
    expect(text).toContain(`Baixar o PDF assinado:\n${urls.signedPdf}`);
    expect(text).toContain(`Abrir a ata no Atas:\n${urls.minutes}`);
    expect(hrefsOf(html)).toEqual(expect.arrayContaining([urls.signedPdf, urls.minutes]));
  });

  it('greets without a name when there is none, and leaves out the settings link of someone without an account', () => {
    const { text, html } = renderEmail('signed_ata', 'pt-BR', { ...factsOf().signed_ata, recipientName: '  ', preferencesUrl: undefined });
    expect(text.startsWith('Olá,\n')).toBe(true);
    expect(text).not.toContain('Gerenciar suas notificações');
    expect(html).not.toContain(urls.preferences);
    expect(renderEmail('minutes_ready', 'es', { ...factsOf().minutes_ready, recipientName: null }).text.startsWith('Hola:\n')).toBe(true);
  });

  it('writes the text version as plain text: the URLs written out, no markup', () => {
    for (const args of languages.flatMap((language) => everyEmailIn(language))) {
      const { text } = renderEmail(...args);
      expect(text).not.toMatch(/<[a-z/]|&amp;|undefined|null|\[object/);
    }
  });
});

describe('the subject', () => {
  it.each(kindsAndLanguages)('of a %s e-mail in %s stays under 78 characters for a usual topic', (kind, language) => {
    expect(render(kind, language, { ...base, topic: 'Assembleia Geral Ordinária de 2027 do Condomínio' }).subject.length).toBeLessThan(78);
  });

  it.each(kindsAndLanguages)('of a %s e-mail in %s cuts a very long topic with an ellipsis', (kind, language) => {
    const topic = 'Reunião Extraordinária do Conselho Deliberativo para a aprovação das contas do exercício de 2026 e outros assuntos';
    const { subject, text } = render(kind, language, { ...base, topic });
    expect(subject.length).toBeLessThan(78);
    expect(subject).toMatch(/Reunião Extraordinária do Conselho\b.*…/);
    expect(text).toContain(topic);
  });

  it('never cuts a character in two, and keeps the topic on one line', () => {
    const { subject } = render('minutes_ready', 'pt-BR', { ...base, topic: '👩‍👩‍👧‍👦'.repeat(40) });
    expect(subject.endsWith('👩‍👩‍👧‍👦…')).toBe(true);
    expect(render('minutes_ready', 'en', { ...base, topic: 'Board\r\nBcc: someone@example.com' }).subject).toBe('Minutes ready for review: Board Bcc: someone@example.com');
  });
});

const hostile = {
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(1)>',
  ampersand: 'Tom & Jerry',
};

describe('values from users and transcripts', () => {
  const hostileFacts: EmailBaseFacts = { ...base, recipientName: hostile.script, organizationName: hostile.ampersand, topic: `${hostile.attribute} ${hostile.ampersand}` };
  const emails = languages.flatMap((language) =>
    everyEmailIn(language, hostileFacts).map((args) => {
      const [kind, , facts] = args;
      // Who declined, and why, in their own words.
      if (kind === 'signer_declined') return renderEmail(kind, language, { ...facts, signerName: hostile.attribute, reason: facts.reason && hostile.script });
      return renderEmail(...args);
    }),
  );

  it('are escaped in the HTML', () => {
    for (const { html } of emails) {
      expect(html).not.toMatch(/<script|<img|onerror="|javascript:/i);
      expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
      expect(html).toContain('Tom &amp; Jerry');
      // Every & starts an entity: nothing unescaped.
      expect(html.match(/&(?!(amp|lt|gt|quot|#39);)/g)).toBeNull();
    }
    const declined = renderEmail('signer_declined', 'pt-BR', { ...factsOf().signer_declined, signerName: hostile.script, reason: hostile.attribute });
    expect(declined.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; recusou-se');
    expect(declined.html).toContain('Motivo informado: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('are intact in the text and the subject', () => {
    for (const { text, subject } of emails) {
      expect(text).toContain(hostile.attribute);
      expect(text).toContain(hostile.ampersand);
      expect(subject).toContain(hostile.attribute);
    }
    expect(emails.filter(({ text }) => text.includes(hostile.script)).length).toBeGreaterThan(0);
  });

  it('build HTML of e-mail tags only, no script, every link one of the given URLs', () => {
    const allowed = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'body', 'div', 'table', 'tr', 'td', 'p', 'a', 'br']);
    const given = new Set(Object.values(urls));
    for (const { html } of [...emails, ...languages.flatMap((language) => everyEmailIn(language).map((args) => renderEmail(...args)))]) {
      const tags = new Set([...html.replace(/<!--.*?-->/gs, '').matchAll(/<\/?([!a-z]+)/gi)].map((match) => match[1]!.toLowerCase()));
      expect([...tags].filter((tag) => !allowed.has(tag))).toEqual([]);
      // Escaped text has no "<": what is between < and > is markup.
      for (const tag of html.match(/<[^>]+>/g) ?? []) expect(tag).not.toMatch(/\son[a-z]+=|\ssrc=|@import|url\(|expression\(/i);
      for (const href of hrefsOf(html)) expect(given.has(href)).toBe(true);
      expect(html).toContain('max-width:600px');
    }
  });

  it('refuses a link that is not our own kind of http(s) URL', () => {
    const ready = factsOf().minutes_ready;
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '/minutes/1', 'https://user:pass@app.atas.example/', 'https://app.atas.example/"><script>', 'https://app.atas.example/ x']) {
      expect(() => renderEmail('minutes_ready', 'en', { ...ready, minutesUrl: url })).toThrow('http(s) URL');
      expect(() => renderEmail('minutes_ready', 'en', { ...ready, unsubscribeUrl: url })).toThrow('http(s) URL');
    }
  });

  it('takes each kind with its own facts only (checked by the compiler)', () => {
    const of = factsOf();
    const mismatched = [
      // @ts-expect-error: the signed ata is not about the minutes page.
      () => renderEmail('signed_ata', 'en', of.minutes_ready),
      // @ts-expect-error: a declined envelope names who declined.
      () => renderEmail('signer_declined', 'en', of.envelope_voided),
      // @ts-expect-error: an attached PDF has no link to expire.
      () => renderEmail('signed_ata', 'en', { ...of.signed_ata, delivery: { attached: true, downloadUrl: urls.download } }),
      // @ts-expect-error: a link that expires says when.
      () => renderEmail('signed_ata', 'en', { ...of.signed_ata, delivery: { attached: false, downloadUrl: urls.download } }),
    ];
    expect(mismatched).toHaveLength(4);
  });
});

/** Words of 4 letters or more, lower-cased; not those of URLs (ours are the test's, in English). */
const wordsIn = (text: string) => text.replace(/https?:\/\/\S+/g, ' ').toLowerCase().match(/\p{L}{4,}/gu) ?? [];

/** The texts of a catalog's e-mail section, functions called with placeholder values. */
function emailTextsOf({ email }: Catalog): string[] {
  const meeting = { topic: 'x', date: 'x', signerName: 'x' };
  return [
    email.greeting('x'),
    email.greeting(null),
    email.signOff,
    email.signature('x'),
    email.whyYouGetThis.owner('x'),
    email.whyYouGetThis.participant('x'),
    email.unsubscribe('x'),
    email.unsubscribeLink,
    email.preferencesLink,
    email.buttonFallback,
    email.unsubscribePage.title,
    email.unsubscribePage.question('x', 'x'),
    email.unsubscribePage.button,
    email.unsubscribePage.done('x', 'x'),
    email.kinds.signer_declined.intro({ ...meeting, signerName: null }),
    ...emailKinds.flatMap((kind) => {
      const words = email.kinds[kind];
      return [
        ...Object.values(words).filter((value): value is string => typeof value === 'string'),
        words.subject('x'),
        words.intro(meeting),
        ...('reason' in words ? [words.reason('x')] : []),
        ...('download' in words ? [words.download({ date: 'x', time: 'x' })] : []),
      ];
    }),
  ];
}

/** Words a language shares with another: not a leak. Atas is the product's name; envelope is Portuguese as well. */
const cognates = new Set(['atas', 'envelope', 'envelopes']);
/** What the facts themselves say (names, topic, organization): not the catalog's. */
const factWords = new Set([...Object.values(base), 'Bruno Lima', 'Tempo de gravação insuficiente', 'Discordo do item 2', 'Pauta alterada'].filter((value) => typeof value === 'string').flatMap(wordsIn));

/** Words of `other`'s e-mail section, not in `language`'s, found in `language`'s e-mails (`emails`, by default every kind and variant). */
function foreignWordsIn(language: Language, other: Language, emails = everyEmailIn(language).map((args) => renderEmail(...args))): string[] {
  const own = new Set(emailTextsOf(catalogOf(language)).flatMap(wordsIn));
  const foreign = new Set(emailTextsOf(catalogOf(other)).flatMap(wordsIn).filter((word) => !own.has(word) && !cognates.has(word) && !factWords.has(word)));
  return [...new Set(emails.flatMap(({ subject, text, html }) => [subject, text, visibleTextOf(html)]).flatMap(wordsIn).filter((word) => foreign.has(word)))];
}

describe('an e-mail in one language', () => {
  it.each(languages.flatMap((language) => languages.filter((other) => other !== language).map((other) => [language, other] as const)))(
    'in %s has no word of the %s e-mail section',
    (language, other) => {
      expect(foreignWordsIn(language, other)).toEqual([]);
    },
  );

  it('catches an e-mail whose words come from another catalog', () => {
    const english = everyEmailIn('en').map((args) => renderEmail(...args));
    expect(foreignWordsIn('pt-BR', 'en', english)).toEqual(expect.arrayContaining(['minutes', 'review', 'signed', 'download', 'these', 'mails']));
  });
});

describe('the unsubscribe page', () => {
  const hostile = { email: '"><script>alert(1)</script>@example.com', kind: 'signed_ata' as const, language: 'pt-BR' as const };

  it('asks in the link’s language, with a form that posts back the same token', () => {
    const page = renderUnsubscribePage({ ...hostile, email: 'ana@example.com' }, 'a.b-c_d', false);
    expect(page).toContain('<html lang="pt-BR">');
    expect(page).toContain(catalogOf('pt-BR').email.unsubscribePage.question('atas assinadas', 'ana@example.com'));
    expect(page).toContain('<form method="post" action="?token=a.b-c_d">');
    expect(renderUnsubscribePage({ ...hostile, email: 'ana@example.com', language: 'es' }, 'a.b-c_d', true)).toContain(catalogOf('es').email.unsubscribePage.done(catalogOf('es').email.kinds.signed_ata.label, 'ana@example.com'));
  });

  it('keeps an address as text, and a token inside its attribute', () => {
    for (const isDone of [false, true]) {
      const page = renderUnsubscribePage(hostile, '"><img src=x onerror=alert(1)>', isDone);
      expect(page).not.toContain('<script>');
      expect(page).not.toContain('<img');
      expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com');
    }
  });
});
