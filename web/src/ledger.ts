// Checks a Merkle inclusion proof in the browser (SHA-256 via Web Crypto),
// the same computation the server's verifier does.
export interface ProofStep {
  hash: string
  side: 'left' | 'right'
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('')
const bytes = (h: string) => new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)))

export async function foldProof(leaf: string, steps: ProofStep[]): Promise<string> {
  let acc = bytes(leaf)
  for (const s of steps) {
    const sib = bytes(s.hash)
    const joined = new Uint8Array(64)
    joined.set(s.side === 'right' ? acc : sib, 0)
    joined.set(s.side === 'right' ? sib : acc, 32)
    acc = new Uint8Array(await crypto.subtle.digest('SHA-256', joined))
  }
  return hex(acc.buffer)
}
