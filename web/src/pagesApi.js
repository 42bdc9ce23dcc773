// The API of the registry pages — 指标体系, 单位, 检测, 台账 (docs/api.md,
// “指标体系、单位、检测、台账”).  The session cookie and the CSRF token
// are those api.js keeps; a 401 logs the page out as there.
import { session, ApiError } from './api.js'

async function call(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' }
  if (method !== 'GET') opt.headers['X-CSRF-Token'] = session.csrf
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json'
    opt.body = JSON.stringify(body)
  }
  let r
  try {
    r = await fetch(path, opt)
  } catch (e) {
    throw new ApiError(0, '无法连接服务器')
  }
  let data = null
  try { data = await r.json() } catch (e) { data = null }
  if (!r.ok) {
    if (r.status === 401) session.user = null
    throw new ApiError(r.status, (data && data.error) || `服务器返回 ${r.status}`)
  }
  return data
}

const enc = encodeURIComponent

// A File as base64 (the import's content).
export function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const rd = new FileReader()
    rd.onload = () => resolve(String(rd.result).replace(/^data:[^,]*,/, ''))
    rd.onerror = () => reject(new ApiError(0, '读取文件失败'))
    rd.readAsDataURL(file)
  })
}

export const pagesApi = {
  tables: () => call('GET', '/api/tables'),
  table: (ref) => call('GET', `/api/tables/${enc(ref)}`),
  importTable: (body) => call('POST', '/api/tables/import', body),
  units: (round) => call('GET', `/api/units/${enc(round)}`),
  users: () => call('GET', '/api/users'),
  addUser: (body) => call('POST', '/api/users', body),
  inspections: (round) => call('GET', `/api/rounds/${enc(round)}/inspections`),
  recheck: (round, id) => call('POST', `/api/rounds/${enc(round)}/inspections/${id}/recheck`),
  ledgerInfo: (round) => call('GET', `/api/rounds/${enc(round)}/ledger/info`),
  ledgerTasks: (round) => call('GET', `/api/rounds/${enc(round)}/ledger/tasks`),
}
