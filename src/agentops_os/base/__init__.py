"""The light base layer: facts every part of ao needs and the hook path can afford.

Paths of the `.agents/` layout (`layout`), the repository root and git HEAD read from
the file system (`gitmeta`), file stamps and content digests (`stamps`), and the one
cached settings snapshot the hooks read (`snapshot`). Modules here import only `os`,
`sys`, `marshal` and each other: `ao hook ...` runs on every agent tool call and its
budget is 2x a bare interpreter start (bench/hook_latency). Nothing here imports a
domain package; the domains and the commands import this.
"""
