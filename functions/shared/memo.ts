/**
 * `load` run once and its promise shared by every later call, unless it fails: a rejected
 * load is forgotten (the caller still sees its error), so the next call tries again. For
 * what a container loads at first use: an SDK chunk, a client, a document.
 */
export function memoizedUntilFailure<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending === undefined) {
      const started = load();
      pending = started;
      started.catch(() => {
        if (pending === started) pending = undefined;
      });
    }
    return pending;
  };
}
