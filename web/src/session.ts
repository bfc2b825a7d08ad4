// The signed-in user and token, kept in localStorage across reloads.
import { reactive } from 'vue'
import type { components } from './api/schema'
import { ownTags } from './tags'

export type Me = components['schemas']['Me']

const KEY = 'vslc.session'

interface Stored {
  token: string
  user: Me
}

function load(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as Stored) : null
  } catch {
    return null
  }
}

const initial = load()

export const session = reactive<{ token: string | null; user: Me | null }>({
  token: initial?.token ?? null,
  user: initial?.user ?? null,
})

export function signIn(token: string, user: Me) {
  // Another account's open pages are not this one's.
  ownTags(user.id)
  session.token = token
  session.user = user
  localStorage.setItem(KEY, JSON.stringify({ token, user }))
}

export function signOut() {
  session.token = null
  session.user = null
  localStorage.removeItem(KEY)
}

export function hasRole(...roles: string[]): boolean {
  return !!session.user && session.user.roles.some((r) => roles.includes(r))
}

export function isAdmin(): boolean {
  return hasRole('院校管理员', '培训评价组织管理员', '省级管理员')
}

export function tenantKind(): string | undefined {
  return session.user?.tenant.kind
}
