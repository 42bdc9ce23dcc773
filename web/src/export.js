// Exporting what a table view shows — the one helper every view uses
// (through ExportButtons.vue): the rows it shows (after its filters), in
// the columns it shows, as
//   CSV:  UTF-8 with a BOM, so that Excel and WPS open the Chinese text
//         correctly; each cell the text the page shows;
//   XLSX: one worksheet written by ExcelJS (web/package.json, pinned and
//         bundled: nothing is fetched at run time), a bold frozen header,
//         and the cells of numeric columns stored as numbers (scores the
//         page shows with two decimals keep the 0.00 format).
//
// columns: [{ label, value: (row) => shown text or number, num: true when
// the column holds numbers }].  A num column's cell that is not a number
// (empty, '—', 未评…) is written as the text shown.

// The cell of column c for row r as the XLSX stores it: a number (with
// its format) for a number in a num column, else the text shown.
export function xlsxCell(c, r) {
  const v = c.value(r)
  if (v === null || v === undefined || v === '') return { value: null }
  if (c.num) {
    if (typeof v === 'number' && Number.isFinite(v)) return { value: v }
    if (typeof v === 'string' && /^-?\d{1,15}(\.\d+)?$/.test(v)) {
      return { value: Number(v), numFmt: /\.\d\d$/.test(v) ? '0.00' : undefined }
    }
  }
  return { value: String(v) }
}

export function toCsv(columns, rows) {
  const q = (v) => {
    const s = v === null || v === undefined ? '' : String(v)
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
  }
  const lines = [columns.map((c) => q(c.label)).join(',')]
  for (const r of rows) lines.push(columns.map((c) => q(c.value(r))).join(','))
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}

// ExcelJS is loaded when the first workbook is written (its own chunk of
// the bundle, served by kaoping like every other file of the UI).
async function excel() {
  const m = await import('exceljs')
  return m.default || m
}

// The workbook's bytes (a Uint8Array).
export async function toXlsx(columns, rows, sheetName = 'Sheet1') {
  const ExcelJS = await excel()
  const wb = new ExcelJS.Workbook()
  wb.creator = 'kaoping'
  const name = String(sheetName).replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1'
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.addRow(columns.map((c) => c.label)).font = { bold: true }
  rows.forEach((r, i) => {
    const row = ws.getRow(i + 2)
    columns.forEach((c, j) => {
      const x = xlsxCell(c, r)
      if (x.value === null) return
      const cell = row.getCell(j + 1)
      cell.value = x.value
      if (x.numFmt) cell.numFmt = x.numFmt
    })
  })
  columns.forEach((c, j) => {
    const longest = Math.max(String(c.label).length,
      ...rows.slice(0, 200).map((r) => String(c.value(r) ?? '').length))
    ws.getColumn(j + 1).width = Math.min(60, Math.max(8, longest * 2 + 2))
  })
  return new Uint8Array(await wb.xlsx.writeBuffer())
}

function save(filename, blob) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}

export function downloadCsv(filename, columns, rows) {
  save(filename, new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }))
}

export async function downloadXlsx(filename, columns, rows, sheetName) {
  const bytes = await toXlsx(columns, rows, sheetName)
  save(filename, new Blob([bytes], {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  }))
}
