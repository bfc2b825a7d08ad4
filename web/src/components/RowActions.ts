// A row's action links: up to two as links, past two the first two and a
// 更多 dropdown with the rest, so the 操作 column stays narrow whatever the
// row's state allows. Its slot holds plain `<el-button link>`s with their
// `v-if`s; the ones shown are counted after the `v-if`s have decided.
import { Comment, Fragment, cloneVNode, defineComponent, h, isVNode, nextTick, onBeforeUnmount, onMounted, onUpdated, ref, type PropType, type VNode } from 'vue'
import { ElButton, ElDropdown, ElDropdownItem, ElDropdownMenu, ElIcon } from 'element-plus'
import { ArrowDown } from '@element-plus/icons-vue'

/** The buttons a slot renders, fragments and `v-if` placeholders removed. */
function shown(nodes: unknown[]): VNode[] {
  const out: VNode[] = []
  for (const n of nodes) {
    if (Array.isArray(n)) out.push(...shown(n))
    else if (!isVNode(n) || n.type === Comment) continue
    else if (n.type === Fragment) out.push(...shown((n.children as unknown[]) ?? []))
    else if (typeof n.type !== 'symbol') out.push(n)
  }
  return out
}

/** A link button's label, as the dropdown item's content. */
function label(v: VNode) {
  const children = v.children as { default?: () => unknown } | string | null
  if (typeof children === 'string') return children
  return children?.default?.()
}

let instances = 0

export default defineComponent({
  name: 'RowActions',
  props: {
    inline: { type: Number, default: 2 },
    /** Told the links' natural width after each render (ActionsColumn sizes itself by the widest row). */
    onMeasure: { type: Function as PropType<(id: number, px: number) => void>, default: undefined },
    /** Told when the row is gone. */
    onForget: { type: Function as PropType<(id: number) => void>, default: undefined },
  },
  setup(props, { slots }) {
    const id = ++instances
    const root = ref<HTMLElement>()
    const measure = () =>
      nextTick(() => {
        // A table drawn while hidden measures nothing: keep what was known.
        const px = root.value?.scrollWidth ?? 0
        if (px > 0) props.onMeasure?.(id, px)
      })
    onMounted(measure)
    onUpdated(measure)
    onBeforeUnmount(() => props.onForget?.(id))
    return () => {
      // Flattening mixes siblings of different v-if groups: key by position.
      const buttons = shown(slots.default?.() ?? []).map((b, i) => cloneVNode(b, { key: i }))
      if (buttons.length <= props.inline) return h('div', { class: 'row-actions', ref: root }, buttons)
      const first = buttons.slice(0, props.inline)
      const rest = buttons.slice(props.inline)
      const more = h(
        ElDropdown,
        { trigger: 'click', class: 'row-more', persistent: false },
        {
          default: () => h(ElButton, { link: true, type: 'primary' }, () => ['更多', h(ElIcon, { class: 'el-icon--right' }, () => h(ArrowDown))]),
          dropdown: () =>
            h(ElDropdownMenu, null, () =>
              rest.map((b, i) => {
                const p = (b.props ?? {}) as { onClick?: (e: MouseEvent) => void; disabled?: boolean; type?: string }
                return h(ElDropdownItem, { key: i, disabled: p.disabled, class: p.type ? `is-${p.type}` : undefined, onClick: p.onClick }, () => label(b))
              }),
            ),
        },
      )
      return h('div', { class: 'row-actions', ref: root }, [...first, more])
    }
  },
})
