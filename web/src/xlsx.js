// Export what a table shows as an Excel workbook (.xlsx), written here in
// the browser: one worksheet, a bold header row, text as inline strings
// and numbers as numbers (two-decimal scores keep the 0.00 format).  The
// file is a ZIP whose entries are stored (not compressed), so nothing
// beyond this file is needed; it opens in Excel, WPS and LibreOffice.
// columns: [{ label, value: (row) => … }] as for csv.js.

const enc = new TextEncoder()

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

function crc32(bytes) {
  let c = 0xffffffff
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

// A ZIP of files [{ name, data: Uint8Array }], stored.
export function zipStore(files) {
  const parts = []
  const central = []
  let offset = 0
  const le16 = (v) => [v & 0xff, (v >>> 8) & 0xff]
  const le32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]
  for (const f of files) {
    const name = enc.encode(f.name)
    const crc = crc32(f.data)
    const common = [...le16(20), ...le16(0x0800), ...le16(0), ...le16(0), ...le16(0x21),
      ...le32(crc), ...le32(f.data.length), ...le32(f.data.length), ...le16(name.length), ...le16(0)]
    const local = new Uint8Array([...le32(0x04034b50), ...common])
    parts.push(local, name, f.data)
    central.push(new Uint8Array([...le32(0x02014b50), ...le16(20), ...common,
      ...le16(0), ...le16(0), ...le16(0), ...le32(0), ...le32(offset)]), name)
    offset += local.length + name.length + f.data.length
  }
  const csize = central.reduce((a, b) => a + b.length, 0)
  const end = new Uint8Array([...le32(0x06054b50), ...le16(0), ...le16(0), ...le16(files.length),
    ...le16(files.length), ...le32(csize), ...le32(offset), ...le16(0)])
  return new Blob([...parts, ...central, end], {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  })
}

const esc = (s) => String(s)
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function colName(i) {
  let s = ''
  for (i++; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s
  return s
}

function cell(ref, v, header) {
  if (v === null || v === undefined || v === '') return ''
  if (!header && (typeof v === 'number' || /^-?\d{1,15}(\.\d+)?$/.test(v))) {
    const two = typeof v === 'string' && /\.\d\d$/.test(v)
    return `<c r="${ref}"${two ? ' s="1"' : ''}><v>${Number(v)}</v></c>`
  }
  return `<c r="${ref}" t="inlineStr"${header ? ' s="2"' : ''}><is><t xml:space="preserve">${esc(v)}</t></is></c>`
}

export function toXlsx(columns, rows, sheetName = 'Sheet1') {
  const lines = [columns.map((c, j) => cell(colName(j) + '1', c.label, true)).join('')]
  rows.forEach((r, i) => {
    lines.push(columns.map((c, j) => cell(colName(j) + (i + 2), c.value(r), false)).join(''))
  })
  const widths = columns.map((c, j) => {
    const longest = Math.max(String(c.label).length, ...rows.slice(0, 200).map((r) => String(c.value(r) ?? '').length))
    return `<col min="${j + 1}" max="${j + 1}" width="${Math.min(60, Math.max(8, longest * 2 + 2))}" customWidth="1"/>`
  }).join('')
  const sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    `<cols>${widths}</cols><sheetData>` +
    lines.map((l, i) => `<row r="${i + 1}">${l}</row>`).join('') +
    '</sheetData></worksheet>'
  const name = esc(String(sheetName).replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1')
  const files = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '</Types>',
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      '</Relationships>',
    'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      `<sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '</Relationships>',
    'xl/styles.xml': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      '<fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
      '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
      '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
      '</styleSheet>',
    'xl/worksheets/sheet1.xml': sheet,
  }
  return zipStore(Object.entries(files).map(([n, s]) => ({ name: n, data: enc.encode(s) })))
}

export function downloadXlsx(filename, columns, rows, sheetName) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(toXlsx(columns, rows, sheetName))
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}
