// Server-sent events as OpenAI streams them: `data: <json>` frames separated by a blank
// line, ending in `data: [DONE]`. The parser accepts any chunking of that byte stream (a
// frame split mid-line, several frames in one write) and both LF and CRLF line ends.

/** One complete SSE event: its `data` (lines joined by "\n") and the raw text it came from. */
export interface SseEvent {
  data: string | undefined;
  raw: string;
}

/** Most bytes one unfinished event may hold before the parser gives up on it. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/** Incremental SSE parser: feed text, get the events completed so far. */
export class SseParser {
  private buffer = '';

  push(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    for (;;) {
      const end = findEventEnd(this.buffer);
      if (end === undefined) break;
      const raw = this.buffer.slice(0, end.at + end.length);
      this.buffer = this.buffer.slice(end.at + end.length);
      events.push(parseEvent(raw));
    }
    if (this.buffer.length > MAX_EVENT_CHARS) throw new RangeError('SSE event too large');
    return events;
  }

  /** Whatever is left unterminated at the end of the stream. */
  flush(): SseEvent[] {
    const rest = this.buffer;
    this.buffer = '';
    return rest.trim() === '' ? [] : [parseEvent(rest)];
  }
}

function findEventEnd(buffer: string): { at: number; length: number } | undefined {
  const lf = buffer.indexOf('\n\n');
  const crlf = buffer.indexOf('\r\n\r\n');
  if (lf === -1 && crlf === -1) return undefined;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf, length: 2 };
}

function parseEvent(raw: string): SseEvent {
  let data: string | undefined;
  for (const line of raw.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return { data, raw };
}

/** One `data:` frame. */
export function sseFrame(data: string): string {
  return `data: ${data}\n\n`;
}

export const SSE_DONE = sseFrame('[DONE]');

/** Whether a response's Content-Type is an event stream. */
export function isEventStream(contentType: unknown): boolean {
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('text/event-stream');
}
