/**
 * What a 3-hour meeting costs us apart from the model: parse the VTT transcript, split it
 * into chunks for a 16k context, merge the chunks' notes, write the Markdown and render the
 * PDF. Target: under 1 s. Baseline, measured in the same run: tokenizing the transcript once.
 * Run: npm run bench
 */
import { countTokens } from 'gpt-tokenizer';
import { splitIntoChunks, transcriptBudgetFor } from '../src/modules/minutes/minutes.chunks.js';
import { mergeNotes } from '../src/modules/minutes/minutes.merge.js';
import type { MinutesNotes } from '../src/modules/minutes/minutes.notes.js';
import { renderMinutesPdf } from '../src/modules/minutes/minutes.pdf.js';
import { loadTokenizer } from '../src/modules/minutes/minutes.tokens.js';
import type { IndexedTurn } from '../src/modules/minutes/minutes.prompt.js';
import { renderMinutesMarkdown } from '../src/modules/minutes/minutes.template.js';
import { buildMinutesRecord, effectiveSettings } from '../src/modules/minutes/minutes.record-builder.js';
import { parseTranscript } from '../src/modules/transcripts/transcript.parse.js';

await loadTokenizer(); // loaded before timing: the pipeline is measured, not the first load

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const TURNS = 2400;
const speakers = ['Ana Souza', 'Bruno Lima', 'Carla Dias', 'Diego Reis', 'Elisa Melo'];
const time = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 23);
const vtt = [
  'WEBVTT',
  '',
  ...Array.from({ length: TURNS }, (_, index) => [
    String(index + 1),
    `${time(index * 4.5)} --> ${time(index * 4.5 + 4)}`,
    `${speakers[index % speakers.length]}: Comentário número ${index} sobre a conjuntura econômica e os indicadores trimestrais da região.`,
    '',
  ]).flat(),
].join('\n');
const spokenWords = vtt.split('\n').filter((line) => line.includes(': ')).join(' ').split(/\s+/).length;
const settings = effectiveSettings({ kind: 'shareholders', agenda: null, members: null, quorum: null, chair: null, secretary: null }, {});
const facts = { topic: 'Assembleia Geral Ordinária', startTime: '2027-03-10T13:00:00.000Z', platform: 'Zoom', invited: [], agenda: [] };

/** What a model would answer for a chunk: a decision and a task every 100 turns. Not timed. */
function notesOf(turns: IndexedTurn[]): MinutesNotes {
  const cited = turns.filter((turn) => turn.index % 100 === 0);
  return {
    title: facts.topic,
    presiding: 'Ana Souza',
    presidingSourceTurn: 0,
    secretary: 'Bruno Lima',
    secretarySourceTurn: 1,
    attendees: speakers.map((name) => ({ name, role: null })),
    agenda: [{ title: `Itens ${turns[0]!.index}–${turns.at(-1)!.index}`, discussion: 'Discussão dos indicadores e da execução orçamentária. '.repeat(8), agendaItem: null }],
    decisions: cited.map((turn) => ({ text: `Aprovada a proposta apresentada no turno ${turn.index}.`, proposedBy: turn.speaker, outcome: 'approved', vote: { method: 'unanimous', inFavour: null, against: null, abstaining: null, inFavourNames: [], againstNames: [], abstainingNames: [] }, agendaItem: null, sourceTurn: turn.index })),
    actionItems: cited.map((turn) => ({ owner: turn.speaker, task: `Preparar o relatório do turno ${turn.index}.`, due: null, sourceTurn: turn.index })),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const stages = { parse: [] as number[], chunk: [] as number[], merge: [] as number[], markdown: [] as number[], pdf: [] as number[], total: [] as number[], baseline: [] as number[] };
let chunkCount = 0;
let pageBytes = 0;

for (let round = 0; round <= ROUNDS; round++) {
  const lap = (() => {
    let last = performance.now();
    return () => {
      const now = performance.now();
      const elapsed = now - last;
      last = now;
      return elapsed;
    };
  })();
  const turns = parseTranscript(vtt, 'vtt').map((turn, index) => ({ ...turn, index }));
  const parse = lap();
  const chunks = splitIntoChunks(turns, transcriptBudgetFor({ contextTokens: 16_384, maxOutputTokens: 2000, facts, language: 'pt-BR' }));
  const chunk = lap();
  const answers = chunks.map((part) => ({ notes: notesOf(part.turns), chunk: part }));
  lap();
  const notes = mergeNotes(answers);
  const record = buildMinutesRecord({ notes, settings, invitees: [], turns, startTime: new Date(facts.startTime), timeZone: 'America/Sao_Paulo' });
  const merge = lap();
  const markdown = renderMinutesMarkdown(
    record,
    { topic: facts.topic, startTime: new Date(facts.startTime), durationMinutes: 180, platform: 'videoconferência (Zoom)', timeZone: 'America/Sao_Paulo' },
    'pt-BR',
  );
  const markdownMs = lap();
  const pdf = await renderMinutesPdf({
    organizationName: 'Associação de Exemplo',
    title: facts.topic,
    metadata: [{ label: 'Data', value: '10 de março de 2027' }],
    markdown,
    signers: [{ name: 'Ana Souza' }, { name: 'Bruno Lima' }],
    labels: { page: (n, total) => `Página ${n} de ${total}`, signatures: 'Assinaturas', contentHash: 'SHA-256 do conteúdo' },
    contentSha256: '0'.repeat(64),
  });
  const pdfMs = lap();
  const baselineStart = performance.now();
  countTokens(vtt);
  const baseline = performance.now() - baselineStart;
  if (round === 0) continue; // warm-up
  chunkCount = chunks.length;
  pageBytes = pdf.length;
  stages.parse.push(parse);
  stages.chunk.push(chunk);
  stages.merge.push(merge);
  stages.markdown.push(markdownMs);
  stages.pdf.push(pdfMs);
  stages.total.push(parse + chunk + merge + markdownMs + pdfMs);
  stages.baseline.push(baseline);
}

const baselineMs = median(stages.baseline);
process.stdout.write(
  [
    `minutes pipeline for a 3-hour meeting (${TURNS} turns, ${spokenWords} spoken words, ${chunkCount} chunks at 16k context, PDF ${Math.round(pageBytes / 1024)} KiB), median of ${ROUNDS}:`,
    ...Object.entries(stages).map(([stage, values]) => `  ${stage.padEnd(9)} ${median(values).toFixed(1).padStart(7)} ms  (${(median(values) / baselineMs).toFixed(2)}× baseline)`),
    `  target: total under 1000 ms; baseline = tokenizing the whole transcript once`,
    '',
  ].join('\n'),
);
