import { call, client } from './http'
import type { components } from './schema'

export type ImportView = components['schemas']['ImportView']

export const create = (type: string, fileName: string, params: Record<string, unknown>, dryRun = false) =>
  call(client.POST('/api/imports', { body: { type, fileName, params, dryRun } }))
export const get = (id: string) => call(client.GET('/api/imports/{id}', { params: { path: { id } } }))
export const list = (query: { type: string; pageSize: number; cursor?: string }) =>
  call(client.GET('/api/imports', { params: { query } }))

/** The template's URL with the session's token (downloaded through fetch). */
export async function downloadTemplate(type: string, params: Record<string, string>, token: string | null) {
  const q = new URLSearchParams(params).toString()
  const r = await fetch(`/api/imports/templates/${type}${q ? `?${q}` : ''}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  if (!r.ok) throw new Error(((await r.json().catch(() => null)) as { message?: string } | null)?.message ?? `下载失败（${r.status}）`)
  const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? `${type}.xlsx`)
  const a = document.createElement('a')
  a.href = URL.createObjectURL(await r.blob())
  a.download = name
  a.click()
  URL.revokeObjectURL(a.href)
}
