export function FlaggedScreen() { return <p>…</p>; }
