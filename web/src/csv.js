// Export what a table shows as CSV: UTF-8 with a BOM so that Excel and
// WPS open the Chinese text correctly; fields quoted when they need it.
export function toCsv(columns, rows) {
  const q = (v) => {
    const s = v === null || v === undefined ? '' : String(v)
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
  }
  const lines = [columns.map((c) => q(c.label)).join(',')]
  for (const r of rows) lines.push(columns.map((c) => q(c.value(r))).join(','))
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}

export function downloadCsv(filename, columns, rows) {
  const blob = new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' })
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}
