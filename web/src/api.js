// The JSON API of `kaoping serve` (docs/api.md).  The session is an
// HttpOnly cookie the browser keeps; the CSRF token that every state
// change must carry is kept in sessionStorage for this tab.
import { reactive } from 'vue'

export const session = reactive({
  user: null,        // { username, role, unit }
  csrf: sessionStorage.getItem('kp_csrf') || '',
})

export const roleLabel = { admin: '管理员', assessor: '考核人员', unit: '单位用户' }

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status }
}

// One request to the API: JSON in and out, an ApiError with the server's
// Chinese message on failure, and a 401 logging the page out.
export async function call(method, path, body, headers = {}) {
  const opt = { method, headers: { ...headers }, credentials: 'same-origin' }
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
    const msg = (data && data.error) || `服务器返回 ${r.status}`
    if (r.status === 401 && path !== '/api/login') { session.user = null }
    throw new ApiError(r.status, msg)
  }
  return data
}

const enc = encodeURIComponent
const csrf = () => ({ 'X-CSRF-Token': session.csrf })

export const api = {
  async login(username, password) {
    const d = await call('POST', '/api/login', { username, password })
    session.csrf = d.csrf
    sessionStorage.setItem('kp_csrf', d.csrf)
    session.user = { username: d.username || username, role: d.role, unit: d.unit }
    return d
  },
  async logout() {
    try { await call('POST', '/api/logout', undefined, csrf()) } finally {
      session.user = null; session.csrf = ''; sessionStorage.removeItem('kp_csrf')
    }
  },
  async me() {
    const d = await call('GET', '/api/me')
    session.user = d
    return d
  },
  rounds: () => call('GET', '/api/rounds'),
  rank: (round) => call('GET', `/api/rounds/${enc(round)}/rank`),
  sheet: (round, unit) => call('GET', `/api/rounds/${enc(round)}/units/${enc(unit)}`),
  addFacts: (round, facts) => call('POST', `/api/rounds/${enc(round)}/facts`, facts, csrf()),
  publish: (round) => call('POST', `/api/rounds/${enc(round)}/publish`, undefined, csrf()),
  rescore: (round) => call('POST', `/api/rounds/${enc(round)}/score`, undefined, csrf()),
  // evidence (佐证材料): uploaded by el-upload to evidenceUrl with
  // csrfHeaders(); listed per unit; downloaded from evidenceFile
  evidenceUrl: (round) => `/api/rounds/${enc(round)}/evidence`,
  evidenceList: (round, unit) => call('GET', `/api/rounds/${enc(round)}/units/${enc(unit)}/evidence`),
  evidenceFile: (id) => `/api/evidence/${enc(String(id))}`,
  csrfHeaders: () => csrf(),
  publicRank: (round) => call('GET', `/api/public/rounds/${enc(round)}/rank`),
  vote: (round, token, unit, rating) =>
    call('POST', `/api/public/rounds/${enc(round)}/vote`, { unit, rating }, { 'X-CSRF-Token': token }),
}
