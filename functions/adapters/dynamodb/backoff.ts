/** Jittered exponential backoff before retry `attempt` (1, 2, ...), at most 1 s. */
export async function backoff(attempt: number): Promise<void> {
  const delay = Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
  await new Promise((resolve) => setTimeout(resolve, delay));
}
