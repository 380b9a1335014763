export function PatrolScreen() { return <p>…</p>; }
