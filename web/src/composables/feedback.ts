// Confirmations and per-id batch results, the same on every page.
import { ElMessage, ElMessageBox } from 'element-plus'

export async function confirmAction(message: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, '提示', { type: 'warning' })
    return true
  } catch {
    return false
  }
}

export interface BatchResult {
  succeeded: number
  failed: number
  results: { ok: boolean; message?: string | null }[]
}

/** "删除成功 3 条，失败 1 条：原因…" */
export function report(what: string, r: BatchResult) {
  const reasons = [...new Set(r.results.filter((x) => !x.ok).map((x) => x.message))].join('；')
  if (r.failed) ElMessage.warning(`${what}成功 ${r.succeeded} 条，失败 ${r.failed} 条：${reasons}`)
  else ElMessage.success(`${what}成功 ${r.succeeded} 条`)
}

/** Runs an action; on success says `done` and runs `then` (a reload). A
 *  failure was already shown by the API client. */
export async function perform(action: () => Promise<unknown>, done: string, then?: () => unknown): Promise<boolean> {
  try {
    await action()
  } catch {
    return false
  }
  ElMessage.success(done)
  await then?.()
  return true
}

/** Asks for a 退回原因 (required, ≤ 500 characters); null when cancelled. */
export async function askReason(hint: string): Promise<string | null> {
  try {
    const r = await ElMessageBox.prompt(hint, '审核退回', {
      inputType: 'textarea',
      inputValidator: (v) => (!!v && v.trim().length > 0 && v.length <= 500) || '请填写退回原因（不超过500个字符）',
    })
    return r.value
  } catch {
    return null
  }
}

/** Hands out an export the server wrote, or says there was nothing in it
 *  (no empty file is downloaded). `done` is the success message. */
export function deliver(file: { url: string; rows: number }, done: string): boolean {
  if (file.rows === 0) {
    ElMessage.warning('没有符合条件的数据，未生成导出文件')
    return false
  }
  window.location.href = file.url
  ElMessage.success(done)
  return true
}

/** An export of a list showing no rows, nothing selected: warns instead. */
export function nothingToExport(shown: unknown[], selected: unknown[] = []): boolean {
  if (shown.length || selected.length) return false
  ElMessage.warning('当前列表没有数据，无可导出的内容')
  return true
}

/** Copies text to the clipboard (a hidden textarea where the Clipboard API
 *  is refused) and says so. */
export async function copyText(text: string, what = '内容') {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    const ok = document.execCommand('copy')
    area.remove()
    if (!ok) {
      ElMessage.warning(`复制失败，请手动复制：${text}`)
      return
    }
  }
  ElMessage.success(`已复制${what}`)
}
