import type { AtaNotes } from './ata.schema.js';
import type { Chunk } from './minutes.chunks.js';

/**
 * Merges the notes of each chunk into the notes of the whole meeting, in code rather than by
 * another model call, so nothing the chunks found can be dropped: lists are concatenated in
 * transcript order; only what overlapping turns produced twice is kept once.
 */
export function mergeNotes(parts: readonly { notes: AtaNotes; chunk: Chunk }[]): AtaNotes {
  const [first] = parts;
  if (!first) throw new Error('mergeNotes needs at least one part');
  const all = parts.map((part) => part.notes);
  return {
    title: first.notes.title,
    presiding: all.find((notes) => notes.presiding)?.presiding ?? null,
    secretary: all.find((notes) => notes.secretary)?.secretary ?? null,
    attendees: uniqueBy(all.flatMap((notes) => notes.attendees), (attendee) => normalise(attendee.name)),
    agenda: mergeAgenda(all.flatMap((notes) => notes.agenda)),
    decisions: withoutOverlapRepeats(parts, (notes) => notes.decisions),
    actionItems: withoutOverlapRepeats(parts, (notes) => notes.actionItems),
  };
}

function mergeAgenda(items: AtaNotes['agenda']): AtaNotes['agenda'] {
  const byTitle = new Map<string, AtaNotes['agenda'][number]>();
  for (const item of items) {
    const existing = byTitle.get(normalise(item.title));
    if (existing) existing.discussion = `${existing.discussion}\n\n${item.discussion}`;
    else byTitle.set(normalise(item.title), { ...item });
  }
  return [...byTitle.values()];
}

/**
 * An item cited from a turn that two chunks both saw (the overlap) is the same item found
 * twice: the first finding stays. Anything else is kept, even if it looks alike.
 */
function withoutOverlapRepeats<Item extends { sourceTurn: number }>(
  parts: readonly { notes: AtaNotes; chunk: Chunk }[],
  itemsOf: (notes: AtaNotes) => Item[],
): Item[] {
  const seenTurns = new Set<number>();
  const merged: Item[] = [];
  for (const { notes, chunk } of parts) {
    const found = itemsOf(notes);
    for (const item of found) {
      if (chunk.overlap.has(item.sourceTurn) && seenTurns.has(item.sourceTurn)) continue;
      merged.push(item);
    }
    for (const item of found) seenTurns.add(item.sourceTurn);
  }
  return merged.sort((a, b) => a.sourceTurn - b.sourceTurn);
}

function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(keyOf(item))) seen.set(keyOf(item), item);
  return [...seen.values()];
}

/** Case, accents and spacing do not make two names different. */
export function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
