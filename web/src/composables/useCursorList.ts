// Lists paged by keyset cursors (考生列表, 操作日志): the server answers a
// page and where the next starts, so the pager steps forward and back
// (上一页 / 下一页) instead of jumping to a page number. The total comes
// with the first page when the server's counters know it.
import { reactive, ref } from 'vue'

export interface CursorPage<T> {
  items: T[]
  total?: number | null
  nextCursor?: string | null
}

export function useCursorList<T, F extends Record<string, unknown>>(
  fetch: (query: F & { pageSize: number; cursor?: string }) => Promise<CursorPage<T>>,
  initial: F,
  /** The query a filter form sends (defaults to the filters without blanks). */
  query: (filters: F) => Record<string, unknown> = (f) => f,
) {
  const filters = reactive({ ...initial }) as F
  const rows = ref<T[]>([]) as { value: T[] }
  const total = ref<number | null>(null)
  const pageSize = ref(20)
  const loading = ref(false)
  /** The cursor each page shown so far started at ('' for the first). */
  const cursors = ref<string[]>([''])
  const next = ref<string | null>(null)

  async function load() {
    return fetchPage(false)
  }

  /** Reloads the current page without the loading mask: a background
   *  refresh while work finishes on the server. */
  async function refresh() {
    return fetchPage(true)
  }

  // Each request's number: an answer to an older one (a background refresh
  // that returns after the user searched) is dropped.
  let latest = 0

  async function fetchPage(quiet: boolean) {
    const mine = ++latest
    if (!quiet) loading.value = true
    try {
      const clean = Object.fromEntries(Object.entries(query(filters as F)).filter(([, v]) => v !== '' && v !== undefined && v !== null))
      const cursor = cursors.value[cursors.value.length - 1]
      const r = await fetch({ ...(clean as F), pageSize: pageSize.value, ...(cursor ? { cursor } : {}) })
      if (mine !== latest) return
      rows.value = r.items
      next.value = r.nextCursor ?? null
      if (!cursor) total.value = r.total ?? null
    } catch {
      // The client already showed the server's message.
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  function search() {
    cursors.value = ['']
    return load()
  }

  function reset() {
    Object.assign(filters, initial)
    return search()
  }

  function more() {
    if (!next.value) return
    cursors.value = [...cursors.value, next.value]
    return load()
  }

  function previous() {
    if (cursors.value.length <= 1) return
    cursors.value = cursors.value.slice(0, -1)
    return load()
  }

  return { filters, rows, total, pageSize, loading, cursors, next, load, refresh, search, reset, more, previous }
}
