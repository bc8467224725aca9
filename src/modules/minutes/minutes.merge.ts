import type { MinutesNotes } from './minutes.notes.js';
import type { Chunk } from './minutes.chunks.js';

/**
 * Merges the notes of each chunk into the notes of the whole meeting, in code rather than by
 * another model call, so nothing the chunks found can be dropped: lists are concatenated in
 * transcript order; only what overlapping turns produced twice is kept once.
 */
export function mergeNotes(parts: readonly { notes: MinutesNotes; chunk: Chunk }[]): MinutesNotes {
  const [first] = parts;
  if (!first) throw new Error('mergeNotes needs at least one part');
  const all = parts.map((part) => part.notes);
  return {
    title: first.notes.title,
    ...firstRole(all, 'presiding', 'presidingSourceTurn'),
    ...firstRole(all, 'secretary', 'secretarySourceTurn'),
    attendees: uniqueBy(all.flatMap((notes) => notes.attendees), (attendee) => normalise(attendee.name)),
    agenda: mergeAgenda(all.flatMap((notes) => notes.agenda)),
    decisions: withoutOverlapRepeats(parts, (notes) => notes.decisions),
    actionItems: withoutOverlapRepeats(parts, (notes) => notes.actionItems),
  };
}

/** The first chunk that names the role names it, with its turn. */
function firstRole<Name extends 'presiding' | 'secretary', Turn extends `${Name}SourceTurn`>(all: MinutesNotes[], name: Name, turn: Turn) {
  const found = all.find((notes) => notes[name]);
  return { [name]: found?.[name] ?? null, [turn]: found?.[turn] ?? null } as Record<Name, string | null> & Record<Turn, number | null>;
}

/** An item the chunks share (same agenda number, or same title off the agenda) is one item, its discussions joined. */
function mergeAgenda(items: MinutesNotes['agenda']): MinutesNotes['agenda'] {
  const byItem = new Map<string, MinutesNotes['agenda'][number]>();
  for (const item of items) {
    const key = item.agendaItem === null ? `title:${normalise(item.title)}` : `item:${item.agendaItem}`;
    const existing = byItem.get(key);
    if (existing) existing.discussion = `${existing.discussion}\n\n${item.discussion}`;
    else byItem.set(key, { ...item });
  }
  return [...byItem.values()];
}

/**
 * Items cited from a turn that two chunks both saw (the overlap) were found twice: a later
 * chunk adds only as many items for that turn as it found beyond the earlier chunks. Anything
 * else is kept, even if it looks alike.
 */
function withoutOverlapRepeats<Item extends { sourceTurn: number }>(
  parts: readonly { notes: MinutesNotes; chunk: Chunk }[],
  itemsOf: (notes: MinutesNotes) => Item[],
): Item[] {
  const foundPerTurn = new Map<number, number>();
  const merged: Item[] = [];
  for (const { notes, chunk } of parts) {
    const countedHere = new Map<number, number>();
    for (const item of itemsOf(notes)) {
      const here = (countedHere.get(item.sourceTurn) ?? 0) + 1;
      countedHere.set(item.sourceTurn, here);
      const isRepeat = chunk.overlap.has(item.sourceTurn) && here <= (foundPerTurn.get(item.sourceTurn) ?? 0);
      if (!isRepeat) merged.push(item);
    }
    for (const [turn, here] of countedHere) foundPerTurn.set(turn, Math.max(here, foundPerTurn.get(turn) ?? 0));
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
