// The tab bar of open pages (RuoYi's TagsView): every page visited stays
// one click away until closed. 首页 is always first and cannot be closed.
// Kept per browser tab (sessionStorage) and per user: the same user signing
// in again (after the session expired) finds them; anyone else starts afresh.
import { reactive, watch } from 'vue'

export interface Tag {
  path: string
  title: string
}

const KEY = 'vslc.tags'
export const HOME: Tag = { path: '/', title: '首页' }

function load(): Tag[] {
  try {
    const raw = sessionStorage.getItem(KEY)
    const tags = raw ? (JSON.parse(raw) as Tag[]) : []
    return [HOME, ...tags.filter((t) => t.path !== HOME.path)]
  } catch {
    return [HOME]
  }
}

export const tags = reactive<{ open: Tag[] }>({ open: load() })

watch(
  () => tags.open.map((t) => t.path).join('|'),
  () => sessionStorage.setItem(KEY, JSON.stringify(tags.open.filter((t) => t.path !== HOME.path))),
)

/** Opens (or keeps) the tab of a page. */
export function visit(tag: Tag) {
  const known = tags.open.find((t) => t.path === tag.path)
  if (known) known.title = tag.title
  else tags.open.push(tag)
}

/** Closes a tab; returns the page to show when it was the current one. */
export function close(path: string, current: string): string | null {
  const i = tags.open.findIndex((t) => t.path === path)
  if (i <= 0) return null
  tags.open.splice(i, 1)
  if (path !== current) return null
  return (tags.open[i] ?? tags.open[i - 1] ?? HOME).path
}

/** Keeps 首页 and `path` only. */
export function closeOthers(path: string) {
  tags.open = tags.open.filter((t) => t.path === HOME.path || t.path === path)
}

/** Keeps 首页 only. */
export function closeAll() {
  tags.open = [HOME]
}

/** Keeps the open tabs when the same user signs in again (after the
 *  session expired, say); starts afresh for anyone else. */
export function ownTags(userId: string) {
  const owner = `${KEY}.owner`
  if (sessionStorage.getItem(owner) !== userId) tags.open = [HOME]
  sessionStorage.setItem(owner, userId)
}
