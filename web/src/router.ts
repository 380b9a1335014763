/** Hash routes (#/tasks/tsk_…): static hosting needs no rewrite for them, offline included. */
import { store, useStore } from './store';

const current = store(location.hash.slice(1) || '/');
addEventListener('hashchange', () => current.set(location.hash.slice(1) || '/'));

export function useRoute(): string {
  return useStore(current);
}

export function navigate(path: string): void {
  location.hash = path;
}

/** `/tasks/:taskId` against `/tasks/tsk_1` → { taskId: 'tsk_1' }; undefined when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const a = pattern.split('/');
  const b = path.split('?')[0]!.split('/');
  if (a.length !== b.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i += 1) {
    const part = a[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(b[i]!);
    else if (part !== b[i]) return undefined;
  }
  return params;
}
