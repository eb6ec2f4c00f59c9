"""Factor X / Law 2: an improvement backlog fed by the friction `ao` already records.

`signals` mines gate failures, guard denials, context collapses, tool errors, learnings
voted harmful and `Learning:` commit trailers into one `Signal` per distinct cause;
`backlog` turns them into items under `.agents/improve/` (one file per item, stable id
from the cause), and `mention` is the cheap reader `ao prime` uses. No CLI imports.
"""
