// The API of the registry pages — 指标体系, 单位, 检测, 台账 (docs/api.md,
// “指标体系、单位、检测、台账”).  The session cookie and the CSRF token
// are those api.js keeps; a 401 logs the page out as there.
import { session, ApiError, call as apiCall } from './api.js'

// api.js's request, with the CSRF token on every state change
function call(method, path, body) {
  return apiCall(method, path, body,
    method !== 'GET' ? { 'X-CSRF-Token': session.csrf } : {})
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
  recheck: (round, id, body) => call('POST', `/api/rounds/${enc(round)}/inspections/${id}/recheck`, body),
  rechecks: (round) => call('GET', `/api/rounds/${enc(round)}/rechecks`),
  ledgerInfo: (round) => call('GET', `/api/rounds/${enc(round)}/ledger/info`),
  ledgerTasks: (round) => call('GET', `/api/rounds/${enc(round)}/ledger/tasks`),
}
