import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractPdfText, normaliseSpace } from '../../../test/helpers/pdf-text.js';
import { signatureAnchor, signatureLinesOf } from './minutes.document.js';
import { renderMinutesPdf, type MinutesPdfInput } from './minutes.pdf.js';

const longTask =
  'Preparar o relatório financeiro consolidado do trimestre, com as notas explicativas e o parecer do conselho fiscal, e enviá-lo aos associados';

const minutesMarkdown = [
  '# ATA DA REUNIÃO: Conselho de Administração',
  '',
  '## Abertura',
  '',
  'Aos dez dias do mês de março de 2025, às 14h, reuniram-se **os membros do Conselho** em *sessão ordinária*, sob a presidência de ***Maria da Conceição***, para deliberar sobre a ordem do dia.',
  '',
  '## Presença',
  '',
  '- Maria da Conceição (Presidente)',
  '- João Gonçalves (Secretário)',
  '- Inês Muñoz Araújo',
  '',
  '## Ordem do dia',
  '',
  '1. Aprovação das contas',
  '2. Eleição da nova diretoria',
  '',
  '## Deliberações',
  '',
  '1. Aprovada por unanimidade a ação de cobrança judicial *(Proposta por: Inês; turno 12, 00:14:05)*',
  '2. Aprovado o orçamento, à exceção do item "Manutenção", com ressalvas sobre o prêmio anual',
  '',
  'Letras conferidas: ç ã õ é ê á í ó ú à â ô ü ñ.',
  '',
  '## Encaminhamentos',
  '',
  '| Responsável | Tarefa | Prazo | Ref. |',
  '| --- | --- | --- | --- |',
  `| João Gonçalves | ${longTask} | 15/04/2025 | turno 31, 00:42:10 |`,
  '| Inês Muñoz Araújo | Convocar a assembleia | a definir | turno 40 |',
  '',
  '## Encerramento',
  '',
  'Nada mais havendo a tratar, a reunião foi encerrada, e eu, João Gonçalves, lavrei a presente ata, que, lida e aprovada, vai assinada pelos presentes.',
].join('\n');

const longMarkdown = Array.from({ length: 45 }, (_, index) =>
  [
    `### ${index + 1}. Item da pauta número ${index + 1}`,
    '',
    'O conselheiro relatou a situação das obras de manutenção da sede e a previsão de conclusão, com a discussão das propostas recebidas e das condições de pagamento. '.repeat(3),
  ].join('\n'),
).join('\n\n');

function makeInput(overrides: Partial<MinutesPdfInput> = {}): MinutesPdfInput {
  const markdown = overrides.markdown ?? minutesMarkdown;
  return {
    organizationName: 'Associação dos Moradores do Jardim São João',
    title: 'Ata da 3ª Reunião Ordinária do Conselho',
    metadata: [
      { label: 'Data', value: '10 de março de 2025' },
      { label: 'Horário', value: '14:00 GMT-3' },
      { label: 'Local/Plataforma', value: 'Zoom' },
      { label: 'Presidente', value: 'Maria da Conceição' },
      { label: 'Secretário', value: 'João Gonçalves' },
    ],
    signers: [
      { name: 'Maria da Conceição', email: 'maria@example.com', role: 'Presidente' },
      { name: 'João Gonçalves', email: 'joao@example.com', role: 'Secretário' },
    ],
    labels: { page: (n, total) => `Página ${n} de ${total}`, signatures: 'Assinaturas', contentHash: 'SHA-256 do conteúdo' },
    createdAt: new Date('2025-03-10T18:00:00Z'),
    ...overrides,
    markdown,
    contentSha256: createHash('sha256').update(markdown).digest('hex'),
  };
}

const hasEmbeddedFont = (pdf: Buffer) => pdf.includes('/FontFile2') && pdf.includes('DejaVuSans');

describe('renderMinutesPdf', () => {
  it('keeps every accent of a pt-BR ata through text extraction, with the standard fonts', async () => {
    const pdf = await renderMinutesPdf(makeInput());
    const text = normaliseSpace((await extractPdfText(pdf)).text);

    for (const word of ['Deliberações', 'ação', 'Conceição', 'reunião', 'Associação dos Moradores do Jardim São João', 'Nada mais havendo a tratar']) {
      expect(text).toContain(word);
    }
    expect(text).toContain('Letras conferidas: ç ã õ é ê á í ó ú à â ô ü ñ.');
    expect(hasEmbeddedFont(pdf)).toBe(false);
    expect(pdf.includes('/BaseFont /Helvetica')).toBe(true);
  });

  it('keeps the ellipsis of "Nada mais havendo a tratar…"', async () => {
    const pdf = await renderMinutesPdf(makeInput({ markdown: 'Nada mais havendo a tratar… a reunião foi encerrada.' }));

    expect(normaliseSpace((await extractPdfText(pdf)).text)).toContain('Nada mais havendo a tratar… a reunião foi encerrada.');
  });

  it('renders the Markdown structure, not its markup, with bold and italic inside a line', async () => {
    const pdf = await renderMinutesPdf(makeInput());
    const text = normaliseSpace((await extractPdfText(pdf)).text);

    expect(text).toContain('reuniram-se os membros do Conselho em sessão ordinária, sob a presidência de Maria da Conceição, para');
    expect(text).toContain('• Maria da Conceição (Presidente)');
    expect(text).toContain('1. Aprovação das contas');
    expect(text).not.toMatch(/\*\*|\||^#|\s#{1,3}\s/);
    for (const font of ['Helvetica-Bold', 'Helvetica-Oblique', 'Helvetica-BoldOblique']) {
      expect(pdf.includes(`/BaseFont /${font}`), font).toBe(true);
    }
  });

  it('prints the metadata block on the first page', async () => {
    const { pages } = await extractPdfText(await renderMinutesPdf(makeInput()));

    for (const entry of ['Data 10 de março de 2025', 'Local/Plataforma Zoom', 'Secretário João Gonçalves']) {
      expect(normaliseSpace(pages[0]!)).toContain(entry);
    }
  });

  it('numbers every page of a long ata "Página X de N" and prints the content hash in every footer', async () => {
    const input = makeInput({ markdown: longMarkdown });
    const { pageCount, pages } = await extractPdfText(await renderMinutesPdf(input));

    expect(pageCount).toBeGreaterThan(1);
    expect(pages).toHaveLength(pageCount);
    pages.forEach((page, index) => {
      expect(page).toContain(`Página ${index + 1} de ${pageCount}`);
      expect(page).toContain(`SHA-256 do conteúdo: ${input.contentSha256}`);
      expect(page).toContain('Associação dos Moradores do Jardim São João');
    });
  });

  it('writes each signer’s anchor in white at their signature line', async () => {
    const pdf = await renderMinutesPdf(makeInput());
    const { text, runs } = await extractPdfText(pdf, { withColors: true });
    const allRuns = runs.flat();

    for (const anchor of [signatureAnchor(1), signatureAnchor(2)]) {
      expect(text).toContain(anchor);
      expect(allRuns.filter((run) => run.text.includes(anchor)).map((run) => run.fillColor)).toEqual(['#ffffff']);
    }
    expect(text).not.toContain(signatureAnchor(3));
    const name = allRuns.find((run) => run.text === 'Maria da Conceição' && run.fillColor !== '#ffffff');
    expect(name).toBeDefined();
    expect(normaliseSpace(text)).toContain('Assinaturas');
  });

  it('draws the action items as a table whose long cells wrap', async () => {
    const { pages } = await extractPdfText(await renderMinutesPdf(makeInput()));
    const page = pages.join('\n');

    for (const cell of ['Responsável', 'Tarefa', 'Prazo', 'Ref.', 'João Gonçalves', '15/04/2025', 'turno 31, 00:42:10', 'Convocar a assembleia']) {
      expect(normaliseSpace(page)).toContain(cell);
    }
    expect(normaliseSpace(page)).toContain(longTask);
    expect(page).not.toContain(longTask); // on more than one line
  });

  it('cuts a word longer than the line instead of losing it', async () => {
    const word = 'x'.repeat(60) + 'y'.repeat(60) + 'z'.repeat(60);
    const { text } = await extractPdfText(await renderMinutesPdf(makeInput({ markdown: `Referência: ${word} fim.` })));

    expect(text.replace(/\s/g, '')).toContain(`Referência:${word}fim.`);
  });

  it('continues a table row taller than a page on the next page, under a repeated header', async () => {
    const words = Array.from({ length: 1200 }, (_, index) => `palavra${index}`).join(' ');
    const markdown = `| Responsável | Tarefa |\n| --- | --- |\n| Inês | ${words} |\n| João | Revisar o contrato |`;
    const { pageCount, pages, text } = await extractPdfText(await renderMinutesPdf(makeInput({ markdown })));

    expect(pageCount).toBeGreaterThan(1);
    expect(text.match(/palavra\d+/g)).toEqual(words.split(' ')); // every word, in order, across the page breaks
    expect(normaliseSpace(text)).toContain('João Revisar o contrato');
    expect(normaliseSpace(pages[1]!)).toContain('Responsável Tarefa');
  });

  it('keeps the text of quotes, code, HTML, task lists, links and character references', async () => {
    const markdown = [
      '> Citação com **negrito**',
      '',
      '```',
      'código & <x>',
      '```',
      '',
      '<div>bloco <b>html</b> &amp; texto</div>',
      '',
      '- [x] tarefa feita',
      '- [ ] tarefa pendente',
      '',
      'Ver [o regimento](https://exemplo.com.br/regimento) &amp; &lt;anexo&gt; &#233;',
    ].join('\n');
    const text = normaliseSpace((await extractPdfText(await renderMinutesPdf(makeInput({ markdown })))).text);

    for (const expected of ['Citação com negrito', 'código & <x>', 'bloco html & texto', '[x] tarefa feita', '[ ] tarefa pendente']) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('Ver o regimento (https://exemplo.com.br/regimento) & <anexo> é');
  });

  it.each([
    ['a signer name with Polish letters', { signers: [{ name: 'Łukasz Wałęsa', email: 'lukasz@example.com' }] }, 'Łukasz Wałęsa'],
    ['Turkish text in the minutes', { markdown: `${minutesMarkdown}\n\nPresente também Şule Yılmaz.` }, 'Şule Yılmaz'],
    ['a Greek title', { title: 'Πρακτικά συνεδρίασης' }, 'Πρακτικά συνεδρίασης'],
    ['an arrow in the metadata', { metadata: [{ label: 'Horário', value: '14:00 → 15:30' }] }, '14:00 → 15:30'],
  ] as const)('embeds DejaVu Sans for %s and still extracts it and every accent', async (_, overrides, expected) => {
    const pdf = await renderMinutesPdf(makeInput(overrides as Partial<MinutesPdfInput>));
    const text = normaliseSpace((await extractPdfText(pdf)).text);

    expect(hasEmbeddedFont(pdf)).toBe(true);
    expect(text).toContain(expected);
    expect(text).toContain('Deliberações');
    expect(text).toContain('Conceição');
  });

  it('draws the draft watermark on every page only when labels.draft is set', async () => {
    const labels = { ...makeInput().labels, draft: 'RASCUNHO' };
    const draft = await extractPdfText(await renderMinutesPdf(makeInput({ markdown: longMarkdown, labels })));
    const final = await extractPdfText(await renderMinutesPdf(makeInput({ markdown: longMarkdown })));

    expect(draft.pageCount).toBeGreaterThan(1);
    for (const page of draft.pages) expect(page).toContain('RASCUNHO');
    expect(final.text).not.toContain('RASCUNHO');
  });

  it('gives the same bytes for the same input and creation date', async () => {
    const [first, second] = await Promise.all([renderMinutesPdf(makeInput()), renderMinutesPdf(makeInput())]);

    expect(first.equals(second)).toBe(true);
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('the signature lines', () => {
  const unknown = { name: null };

  it('are the chair and the secretary under the titles of the meeting’s kind when the request names no signers', () => {
    const record = { kind: 'board' as const, chair: { name: 'Maria da Conceição' }, secretary: { name: 'João Gonçalves' } };
    expect(signatureLinesOf({ signers: [] }, record, 'pt-BR')).toEqual([
      { name: 'Maria da Conceição', role: 'Presidente do Conselho' },
      { name: 'João Gonçalves', role: 'Secretário(a)' },
    ]);
    expect(signatureLinesOf({ signers: [] }, { ...record, kind: 'shareholders' }, 'en')).toEqual([
      { name: 'Maria da Conceição', role: 'Chair of the Meeting' },
      { name: 'João Gonçalves', role: 'Secretary' },
    ]);
    expect(signatureLinesOf({ signers: [] }, { ...record, secretary: record.chair }, 'es')).toEqual([{ name: 'Maria da Conceição', role: 'Presidente del Consejo, Secretario(a)' }]);
  });

  it('keep a line with the title and no name for a role nobody is known to hold, never a guessed name', () => {
    expect(signatureLinesOf({ signers: [] }, { kind: 'condominium', chair: { name: 'Maria da Conceição' }, secretary: unknown }, 'pt-BR')).toEqual([
      { name: 'Maria da Conceição', role: 'Presidente da Assembleia' },
      { name: '', role: 'Secretário(a)' },
    ]);
    expect(signatureLinesOf({ signers: [] }, undefined, 'pt-BR')).toEqual([
      { name: '', role: 'Presidente' },
      { name: '', role: 'Secretário(a)' },
    ]);
  });

  it('are those the request names, as named, whatever the record says', () => {
    const signers = [{ name: 'Inês Muñoz', email: 'ines@example.com' }, { email: 'joao@example.com' }];
    expect(signatureLinesOf({ signers }, { kind: 'board', chair: { name: 'Maria' }, secretary: unknown }, 'pt-BR')).toEqual([
      { name: 'Inês Muñoz', email: 'ines@example.com' },
      { name: 'joao@example.com' },
    ]);
  });

  it('draws a line to sign, its anchor and the title for a signer with no name, the name left blank', async () => {
    const signers = signatureLinesOf({ signers: [] }, { kind: 'board', chair: unknown, secretary: { name: 'Beatriz Sampaio' } }, 'pt-BR');
    const pdf = await renderMinutesPdf(makeInput({ signers }));
    const { text, runs } = await extractPdfText(pdf, { withColors: true });
    const allRuns = runs.flat();

    for (const anchor of [signatureAnchor(1), signatureAnchor(2)]) expect(allRuns.filter((run) => run.text.includes(anchor))).toHaveLength(1);
    expect(text).not.toContain(signatureAnchor(3));
    // The title stays in the muted detail line under the blank name, as under a named signer's.
    const colourOf = (label: string) => allRuns.filter((run) => run.text.trim() === label).map((run) => run.fillColor);
    expect(colourOf('Presidente do Conselho')).toEqual(['#555555']);
    expect(colourOf('Secretário(a)')).toEqual(['#555555']);
    expect(colourOf('Beatriz Sampaio')).toEqual(['#1a1a1a']);
    expect(allRuns.filter((run) => run.text.trim() === '' && run.text !== '')).toEqual([]);
  });
});
