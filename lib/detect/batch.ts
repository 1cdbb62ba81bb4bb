/**
 * Decoded segments scanned in batches. Each segment could be normalized and scored on its
 * own, but then the cost grows with the number of segments, and a flood of short decoys
 * would have to be capped, letting the first N hide the N+1th. Batching joins the decoded
 * texts (a blank line between them) up to a size, so every segment is scanned at a cost
 * linear in the decoded text; a match maps back to the segment(s) it lies in.
 */
import { normalizeText, toOriginal, type Normalized } from './normalize.js';

/** A span of the scanned text (coordinates chosen by the caller) with its decoded text. */
export interface Piece {
  text: string;
  start: number;
  end: number;
}

/** Decoded texts normalized together. */
export interface Batch {
  n: Normalized;
  pieces: Piece[];
  /** Offset of each piece's text in the joined text. */
  offsets: number[];
  length: number;
}

/** Decoded characters per batch: long enough for a payload among decoys, short enough that scores stay local. */
const BATCH_CHARS = 2048;
// Blank lines end every PII and secret pattern, so no match runs from one piece into the next.
const SEPARATOR = '\n\n';

/** Group `pieces` (in order) into batches. */
export function toBatches(pieces: Piece[]): Batch[] {
  const out: Batch[] = [];
  let group: Piece[] = [];
  let size = 0;
  const flush = (): void => {
    if (group.length === 0) return;
    const offsets: number[] = [];
    let joined = '';
    for (const p of group) {
      if (joined.length > 0) joined += SEPARATOR;
      offsets.push(joined.length);
      joined += p.text;
    }
    out.push({ n: normalizeText(joined), pieces: group, offsets, length: joined.length });
    group = [];
    size = 0;
  };
  for (const p of pieces) {
    if (size > 0 && size + p.text.length > BATCH_CHARS) flush();
    group.push(p);
    size += p.text.length + SEPARATOR.length;
  }
  flush();
  return out;
}

/** Index of the piece whose text holds joined offset `at`. */
function pieceAt(batch: Batch, at: number): number {
  let lo = 0;
  let hi = batch.offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((batch.offsets[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The span, in the pieces' coordinates, of the pieces that `[nStart, nEnd)` of the batch's views touch. */
export function placeInBatch(batch: Batch, nStart: number, nEnd: number): [number, number] {
  const [s, e] = toOriginal(batch.n, nStart, nEnd, batch.length);
  const first = batch.pieces[pieceAt(batch, s)] as Piece;
  const last = batch.pieces[pieceAt(batch, Math.max(s, e - 1))] as Piece;
  return [Math.min(first.start, last.start), Math.max(first.end, last.end)];
}

/** The span of every piece of the batch. */
export function batchSpan(batch: Batch): [number, number] {
  let start = Infinity;
  let end = -Infinity;
  for (const p of batch.pieces) {
    start = Math.min(start, p.start);
    end = Math.max(end, p.end);
  }
  return [start, end];
}
