// The shape every list page shares: filters, paging, loading, 搜索 / 重置.
import { reactive, ref } from 'vue'

export interface Page<T> {
  items: T[]
  total: number
  page: number
  pageSize: number
}

export function useList<T, F extends Record<string, unknown>>(
  fetch: (query: F & { page: number; pageSize: number }) => Promise<Page<T>>,
  initial: F,
) {
  const filters = reactive({ ...initial }) as F
  const rows = ref<T[]>([]) as { value: T[] }
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(20)
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '' && v !== undefined && v !== null))
      const r = await fetch({ ...(clean as F), page: page.value, pageSize: pageSize.value })
      rows.value = r.items
      total.value = r.total
    } catch {
      // The client already showed the server's message.
    } finally {
      loading.value = false
    }
  }

  function search() {
    page.value = 1
    return load()
  }

  function reset() {
    Object.assign(filters, initial)
    return search()
  }

  return { filters, rows, total, page, pageSize, loading, load, search, reset }
}
