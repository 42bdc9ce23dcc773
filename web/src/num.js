// Every score the UI shows goes through fmt2: the API gives numbers (82)
// or, from older servers, display strings ("82.00"); both show as two
// decimals, rounded half away from zero as the server rounds.  Empty
// (null, undefined, "") gives "" so that tables and exports leave the
// cell blank; text that is no number is shown as it is.
export function fmt2(v) {
  if (v === null || v === undefined || v === '') return ''
  const n = typeof v === 'number' ? v : Number(String(v).trim())
  if (!Number.isFinite(n)) return String(v)
  const cents = Math.round(Math.abs(n) * 100 + 1e-7)
  const s = (cents / 100).toFixed(2)
  return n < 0 && cents !== 0 ? '-' + s : s
}

// fmt2, or a dash for an empty value (what a table cell shows).
export const fmt2d = (v) => fmt2(v) || '—'
