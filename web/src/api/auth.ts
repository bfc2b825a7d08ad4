import { call, client } from './http'
import type { components } from './schema'

export type LoginResponse = components['schemas']['LoginResponse']

export const login = (account: string, password: string) =>
  call(client.POST('/api/auth/login', { body: { account, password } }), true)
export const logout = () => call(client.POST('/api/auth/logout'), true)
export const me = () => call(client.GET('/api/auth/me'))
export const changePassword = (oldPassword: string, newPassword: string) =>
  call(client.POST('/api/auth/password', { body: { oldPassword, newPassword } }))
