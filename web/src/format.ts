// How times and windows read on every page (UI.md): `YYYY-MM-DD HH:mm`, a
// window as `开始 至 结束` on one line. The API sends `YYYY-MM-DD HH:MM:SS`
// (China time) or RFC 3339; a date alone stays a date.

/** `2026-03-01 09:00` from `2026-03-01 09:00:00` or `2026-03-01T09:00:00+08:00`; '—' when absent. */
export function dateTime(t: string | null | undefined): string {
  if (!t) return '—'
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(t)
  if (!m) return t
  return m[2] ? `${m[1]} ${m[2]}` : m[1]
}

/** `2026-03-01 09:00 至 2026-03-07 17:00`. */
export function span(w: { start: string; end: string } | null | undefined): string {
  if (!w) return '—'
  return `${dateTime(w.start)} 至 ${dateTime(w.end)}`
}
