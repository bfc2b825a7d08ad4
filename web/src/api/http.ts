// The typed API client: paths and shapes come from the server's OpenAPI
// document (web/openapi.json → src/api/schema.d.ts). Every failed request
// shows the server's Chinese message; a 401 returns to the login page.
import createClient, { type Middleware } from 'openapi-fetch'
import { ElMessage } from 'element-plus'
import type { paths } from './schema'
import { session, signOut } from '../session'
import { router } from '../router'

const auth: Middleware = {
  onRequest({ request }) {
    if (session.token) request.headers.set('Authorization', `Bearer ${session.token}`)
    return request
  },
}

export const client = createClient<paths>({ baseUrl: '' })
client.use(auth)

export interface ApiErrorBody {
  code: string
  message: string
}

export class ApiFailure extends Error {
  constructor(
    public status: number,
    public body: ApiErrorBody,
  ) {
    super(body.message)
  }
}

/// Unwraps an openapi-fetch result: the data, or an ApiFailure after
/// telling the user (unless `quiet`).
export async function call<T>(
  p: Promise<{ data?: T; error?: unknown; response: Response }>,
  quiet = false,
): Promise<T> {
  // Whether the request went out signed in: a 401 then means the session
  // ended (said once, below), not a failed sign-in.
  const signedIn = !!session.token
  const { data, error, response } = await p
  if (response.ok) return data as T
  const body = (error as ApiErrorBody) ?? { code: 'HTTP', message: `请求失败（${response.status}）` }
  if (response.status === 401 && signedIn) {
    // Said once: the requests in flight when the session ended fail
    // quietly after the first.
    if (session.token) {
      signOut()
      ElMessage.warning({ message: body.message || '登录已过期，请重新登录', grouping: true })
      await router.push({ path: '/login', query: { redirect: router.currentRoute.value.fullPath } })
    }
  } else if (!quiet) {
    ElMessage.error(body.message || `请求失败（${response.status}）`)
  }
  throw new ApiFailure(response.status, body)
}

/// PUTs a file to an upload URL the API handed out.
export async function upload(url: string, contentType: string, file: Blob): Promise<void> {
  const r = await fetch(url, { method: 'PUT', headers: { 'Content-Type': contentType }, body: file })
  if (!r.ok) {
    const body = (await r.json().catch(() => null)) as ApiErrorBody | null
    const message = body?.message ?? `上传失败（${r.status}）`
    ElMessage.error(message)
    throw new Error(message)
  }
}
