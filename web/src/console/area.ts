/**
 * How an area of the console plugs into the shell. An area's navigation is static (nav.ts,
 * in the first screen's JavaScript); its screens load when the area is first opened
 * (index.tsx, its own chunk), so the finance office does not download the procurement maps.
 */
import type { VNode } from 'preact';
import type { Role } from '../auth/session';
import type { Text } from './messages';

export type AreaId = 'procurement' | 'finance' | 'supervision';

export interface AreaNav {
  readonly id: AreaId;
  readonly title: Text;
  /** Who sees the area; the API decides again on every request. */
  readonly roles: readonly Role[];
  /** Paths under `/<id>`; the first is the area's home. */
  readonly links: readonly { readonly path: string; readonly label: Text; /** Narrower than the area's roles (the API's policy decides). */ readonly roles?: readonly Role[] }[];
  readonly load: () => Promise<AreaScreens>;
}

export interface AreaScreens {
  /** The screen for a path under `/<id>`, or undefined when the area has none there. */
  screen(path: string): VNode | undefined;
}
