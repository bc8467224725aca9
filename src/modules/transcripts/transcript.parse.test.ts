import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTranscript, parseTranscript, TranscriptFormatError } from './transcript.parse.js';

const zoomSample = fs.readFileSync(new URL('../../../test/contracts/zoom/samples/transcript.vtt', import.meta.url), 'utf8');

describe('parseTranscript', () => {
  it("reads Zoom's WebVTT: speakers, times, multi-line cues and Portuguese text intact", () => {
    const turns = parseTranscript(zoomSample, 'vtt');
    expect(turns.length).toBeGreaterThanOrEqual(8);
    expect(turns[0]).toEqual({
      speaker: 'Maria Souza',
      start: 2.12,
      end: 7.48,
      text: 'Bom dia a todos. Declaro aberta a reunião ordinária do Conselho de Administração.',
    });
    expect(turns[2]).toMatchObject({
      speaker: 'João Pereira',
      text: 'Obrigado, Maria. O primeiro item da pauta é a aprovação das demonstrações financeiras do terceiro trimestre.',
    });
  });

  it('keeps cues without a speaker, and reads voice spans', () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n(aplausos)\n\n00:00:03.000 --> 00:00:04.000\n<v Ana Lima>Obrigada a todos.</v>\n';
    expect(parseTranscript(vtt, 'vtt')).toEqual([
      { speaker: null, start: 1, end: 2.5, text: '(aplausos)' },
      { speaker: 'Ana Lima', start: 3, end: 4, text: 'Obrigada a todos.' },
    ]);
  });

  it('decodes character references, named and numeric, after dropping markup', () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Jos&eacute; Lima>Caf&#233; &amp; p&atilde;o &#x2014; &lt;b&gt; n&#227;o &eacute; <b>negrito</b></v>\n';
    expect(parseTranscript(vtt, 'vtt')).toEqual([{ speaker: 'José Lima', start: 1, end: 2, text: 'Café & pão — <b> não é negrito' }]);
  });

  it('reads SubRip and plain text with Name: lines', () => {
    const srt = '1\r\n00:00:01,000 --> 00:00:02,000\r\nJosé: Ação aprovada.\r\n\r\n2\r\n00:00:02,500 --> 00:00:03,000\r\nÂngela: Concordo.\r\n';
    expect(parseTranscript(srt, 'srt')).toEqual([
      { speaker: 'José', start: 1, end: 2, text: 'Ação aprovada.' },
      { speaker: 'Ângela', start: 2.5, end: 3, text: 'Concordo.' },
    ]);
    expect(parseTranscript('Maria: Bom dia.\ncontinua a frase\nJoão: Olá.\n', 'txt')).toEqual([
      { speaker: 'Maria', start: null, end: null, text: 'Bom dia. continua a frase' },
      { speaker: 'João', start: null, end: null, text: 'Olá.' },
    ]);
  });

  it('refuses what is not of its format', () => {
    expect(() => parseTranscript('hello, no header here', 'vtt')).toThrow(TranscriptFormatError);
    expect(() => parseTranscript('   \n  ', 'txt')).toThrow(TranscriptFormatError);
  });
});

describe('decodeTranscript', () => {
  const plain = 'Ana Souza: Bom dia, ação aprovada.\nBruno Lima: De acordo.\n';

  it('reads UTF-8 with or without its byte order mark, and UTF-16 with one', () => {
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plain, 'utf16le')]);
    const utf16be = Buffer.from(utf16le.subarray(2)).swap16();
    for (const bytes of [Buffer.from(plain), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plain)]), utf16le, Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])]) {
      expect(decodeTranscript(bytes)).toBe(plain);
    }
  });

  it('removes NUL and other control characters, keeping tabs and line breaks', () => {
    expect(decodeTranscript(Buffer.from('Ana:\u0000 Bom\u0007 dia\tde novo\r\nBruno: Sim\u0085\n'))).toBe('Ana: Bom dia\tde novo\r\nBruno: Sim\n');
  });

  it('refuses bytes that are not text in those encodings', () => {
    expect(() => decodeTranscript(Buffer.from([0x41, 0x6e, 0x61, 0x3a, 0x20, 0xc3, 0x28, 0xff]))).toThrow(TranscriptFormatError);
    expect(() => decodeTranscript(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0x00, 0xd8, 0x41, 0x00])]))).toThrow(TranscriptFormatError);
  });
});
