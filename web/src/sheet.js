// Reading a unit's sheet (GET /api/rounds/{round}/units/{unit}, the same
// JSON as `kaoping eval show --json`): the nodes in table order with
// their level, rule, 满分, 自评分, 考核分, 得分, status and reasons.
import { fmt2d } from './num.js'

export const ruleLabel = {
  sum: '子项求和', share: '子项平分', judged: '评估员打分', binary: '全有或全无',
  deduct: '倒扣分', minus: '扣分项', tiered: '按完成比例分档', checklist: '清单完成比例',
  item: '要求项', veto: '一票否决', bonus: '加分项',
}

// What a person enters for a leaf: a score (0..满分) or a number of
// deductions; the other rules are decided by ledgers and inspections.
export function entryKind(rule) {
  if (['judged', 'binary', 'bonus'].includes(rule)) return 'score'
  if (['minus', 'deduct'].includes(rule)) return 'fail'
  return null
}

export const nodeName = (n) => {
  const parts = (n.path || '').split('/')
  return parts[parts.length - 1] || n.path
}

export function isLeaf(nodes, i) {
  return i + 1 >= nodes.length || nodes[i + 1].level <= nodes[i].level
}

export function statusText(n) {
  if (!n.applies) return '不适用'
  if (n.vetoed) return '否决'
  if (n.pending) return '待定'
  return '已计分'
}

export function statusType(n) {
  if (!n.applies) return 'info'
  if (n.vetoed) return 'danger'
  if (n.pending) return 'warning'
  return 'success'
}

export function reasonText(n) {
  return (n.reasons || []).map((r) => {
    let s = r.text
    const ev = []
    if (r.what) ev.push(r.what)
    for (const f of r.facts || []) {
      const src = { self: '自评', assessor: '考核', inspect: '检测', ledger: '台账' }[f.source] || f.source
      ev.push([src, f.author, f.note, f.url].filter(Boolean).join(' '))
    }
    if (ev.length) s += '（' + ev.join('；') + '）'
    return s
  }).join('；')
}

// A score as a cell shows it: two decimals (num.js), a dash when none.
export const show = (v) => fmt2d(v)
