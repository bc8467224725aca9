import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { minutesNotes } from './minutes.notes.js';

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; additionalProperties?: boolean; items?: JsonSchema };

/** Every object schema in `schema`, however deep. */
function objectsOf(schema: JsonSchema): JsonSchema[] {
  const children = [...Object.values(schema.properties ?? {}), ...(schema.items ? [schema.items] : [])];
  return [...(schema.properties ? [schema] : []), ...children.flatMap(objectsOf)];
}

describe('the minutes notes schema as OpenAI receives it', () => {
  // Structured outputs with strict: true refuse a schema whose objects allow extra keys or leave keys optional.
  it('is accepted by strict structured outputs: every object closed, every key required', () => {
    const { json_schema } = zodResponseFormat(minutesNotes, 'ata_notes');
    expect(json_schema.strict).toBe(true);
    const objects = objectsOf(json_schema.schema as JsonSchema);
    expect(objects.length).toBeGreaterThanOrEqual(5);
    for (const object of objects) {
      expect(object.additionalProperties).toBe(false);
      expect([...(object.required ?? [])].sort()).toEqual(Object.keys(object.properties!).sort());
    }
  });
});
