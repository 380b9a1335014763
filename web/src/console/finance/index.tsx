/** This area's screens (its own chunk, loaded when the area is first opened). */
import type { VNode } from 'preact';

export function screen(_path: string): VNode | undefined {
  return undefined;
}
