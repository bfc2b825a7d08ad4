import { call, client } from './http'
import type { components } from './schema'

export type SchoolView = components['schemas']['SchoolView']
export type SchoolInput = components['schemas']['SchoolInput']

export const profile = () => call(client.GET('/api/schools/profile'))
export const edit = (body: SchoolInput) => call(client.PUT('/api/schools/profile', { body }))
export const beginSeal = () => call(client.POST('/api/schools/profile/seal'))
export const confirmSeal = () => call(client.POST('/api/schools/profile/seal/confirm'))
