/**
 * Token estimate for budgets and `maxTokens`, without shipping a BPE vocabulary.
 * First form: about four characters a token for English, which cl100k/o200k average.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.max(1, Math.ceil(text.length / 4));
}
