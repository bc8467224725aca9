/** One Server-Sent Event: its name (`message` when unnamed), its data parsed as JSON, its id. */
export interface ServerEvent {
  event: string;
  data: unknown;
  id: string | undefined;
}

/**
 * Reads a `text/event-stream` body event by event (comment lines and `retry:` skipped). The data
 * of an event is JSON in every stream Atas sends.
 */
export async function* readServerEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const decoder = new TextDecoderStream();
  let buffer = '';
  for await (const piece of body.pipeThrough(decoder)) {
    buffer += piece.replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseBlock(block);
      if (event) yield event;
      end = buffer.indexOf('\n\n');
    }
  }
}

function parseBlock(block: string): ServerEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return undefined;
  const text = data.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { event, data: parsed, id };
}
