"""Changed paths of many commits at once: long-lived `git diff-tree --stdin` workers fed
"<parent tree> <tree>" pairs by batch, while the message stream goes on (see
`githistory` for why the other threads only move bytes)."""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

from agentops_os import git
from agentops_os.knowledge.gitlog import (
    _READ,
    HistoryReport,
    Row,
    _answers,
    _Batch,
    _Columns,
    _columns,
    _diff_lines,
    _record_chunks,
    log_args,
)

if TYPE_CHECKING:
    import subprocess


# What `git log --name-only --no-renames` shows, for lines of "<old tree> <new tree>" (or a
# commit whose parent's tree is not known yet): root commits against the empty tree.
DIFF_ARGS = ["diff-tree", "--stdin", "-r", "-z", "--name-only", "--no-renames", "--root", "--always"]
# Commits per batch. Small: a batch costs a marker line, and the diff workers then start a
# few ms into the stream, share the work evenly, and leave little to do after it ends.
BATCH = 512
FIRST_BATCH = 64  # the first batches grow from this, so the diff workers start at once
AHEAD = 2  # batches a diff worker is sent before it answered the first: keeps them even
RUN = 16  # consecutive batches a diff worker claims at a time
IN_FLIGHT = 32768  # commits parsed and not inserted yet, at most (memory)
CHUNKS_AHEAD = 8  # chunks of the message stream read and not parsed yet, at most


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("GIT_PAGER", "cat")
    env["GIT_TERMINAL_PROMPT"] = "0"
    # Into a pipe, git flushes after every commit unless told not to: one write, and one
    # wake-up of a reader, per commit.
    env["GIT_FLUSH"] = "0"
    return env


def _failure(proc: subprocess.Popen[bytes], what: str) -> git.GitError | None:
    """Wait for a git whose output has ended: None if it succeeded, else why not."""
    code = proc.wait()
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
    if code == 0:
        return None
    return git.GitError(f"git {what} failed: {err[-1] if err else code}")


class _DiffWorker:
    """One `git diff-tree --stdin` for the whole run, a thread that writes its input and
    one that reads its answers. Batches are answered in the order they were sent; each
    ends at its marker line. The worker diffs a run of consecutive batches, [next, stop):
    git's caches (delta bases, trees) then serve the next batch too, which they do not when
    two workers take turns batch by batch (a fifth more of git's time)."""

    def __init__(self, proc: subprocess.Popen[bytes], pipeline: _Pipeline) -> None:
        import threading
        from queue import SimpleQueue

        self.proc, self.pipeline = proc, pipeline
        self.sent: deque[tuple[_Batch, bytes]] = deque()  # answers awaited, in order
        self.next = self.stop = 0  # the batches of its run not sent yet
        self.closed = False  # no more input
        self.inbox: SimpleQueue[bytes | None] = SimpleQueue()
        # The reader never writes: git may wait for its output to be read before it reads
        # more input.
        self.writer = threading.Thread(target=self._write, name="ao-diff-in", daemon=True)
        self.reader = threading.Thread(target=self._read, name="ao-diff", daemon=True)
        self.writer.start()
        self.reader.start()

    def _write(self) -> None:
        assert self.proc.stdin is not None
        broken = False
        while (data := self.inbox.get()) is not None:
            if broken:
                continue
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except OSError:  # git died: its stderr says why, and the reader reports it
                broken = True
        with contextlib.suppress(OSError):
            self.proc.stdin.close()

    def _read(self) -> None:
        """Cut git's output at the markers; the consumer reads the answers out of each
        piece. This thread does little but wait: work done here would hold the GIL while
        the consumer's SQLite inserts wait for it row by row."""
        assert self.proc.stdout is not None
        read = self.proc.stdout.read1  # type: ignore[attr-defined]  # a BufferedReader: what is there now
        buf = bytearray()
        scan = 0
        pipeline = self.pipeline
        failed: BaseException | None = None
        try:
            while data := read(_READ):
                buf += data
                while True:
                    with pipeline.lock:
                        if not self.sent:
                            break
                        batch, mark = self.sent[0]
                    at = buf.find(mark, scan)
                    if at < 0:
                        scan = max(0, len(buf) - len(mark))
                        break
                    text = buf[:at].decode("utf-8", "replace")
                    del buf[:at + len(mark)]
                    scan = 0
                    with pipeline.lock:
                        if self.sent and self.sent[0][0] is batch:  # else failed meanwhile
                            self.sent.popleft()
                            batch.answer = text
                            pipeline.feed(self)
                    batch.done.set()
                    pipeline.wake.set()
        except BaseException as exc:  # handed to the consumer
            failed = exc
        finally:
            failed = _failure(self.proc, "diff-tree") or failed
            with pipeline.lock:
                if failed is None and (self.sent or not self.closed):
                    failed = git.GitError("git diff-tree stopped before answering")
                if failed is not None:
                    pipeline.fail(failed)
            pipeline.wake.set()


class _Pipeline:
    """The batches of one run, in stream order: from the message stream and `diff_workers`
    diff processes for the changed paths, or (0) from one `git log` that lists messages and
    paths, or messages only when `paths` is false.

    The consumer's thread parses and inserts; the other threads only move bytes. Python
    work in a second thread would hold the GIL for milliseconds at a time, and SQLite,
    which releases it for every row it inserts, would wait that long for each next row.

    The diff workers claim runs of RUN batches in stream order. Once the stream has ended
    what is left goes out batch by batch in stream order, so the workers finish together
    and answer in about the order the batches are inserted."""

    def __init__(self, root: Path, stdin: bytes, report: HistoryReport, *, paths: bool,
                 diff_workers: int, batch: int = BATCH) -> None:
        import threading
        from queue import Queue

        self.root, self.stdin, self.report, self.batch = root, stdin, report, max(1, batch)
        self.diff_workers = diff_workers if paths else 0
        self.listed = paths and not self.diff_workers  # one log lists the paths
        self.args = log_args(self.listed, trees=self.diff_workers > 0)
        self.lock = threading.Lock()
        self.wake = threading.Event()  # a chunk of the log or an answer arrived
        self.procs: list[subprocess.Popen[bytes]] = []
        self.workers: list[_DiffWorker] = []
        self.stopped = False
        self.chunks: Queue[bytes | None] = Queue(CHUNKS_AHEAD)
        self.mark = f"#ao-{os.urandom(8).hex()}-"  # diff-tree echoes a non-object line and flushes
        # Under `lock`: batches by stream index, those with something to diff and not sent yet.
        self.unsent: dict[int, _Batch] = {}
        self.parsed = 0  # batches made so far
        self.claimed = 0  # batches below this are in some worker's run
        self.ended = False  # the message stream ended: `parsed` is final
        self.left: deque[int] = deque()  # then: the batches not sent yet, in order
        self.failed: BaseException | None = None
        self.log: subprocess.Popen[bytes] | None = None
        self.log_reader = threading.Thread(target=self._read_log, name="ao-history", daemon=True)

    def __iter__(self) -> Generator[_Batch, None, None]:
        from queue import Empty

        try:
            if self.diff_workers:  # its start-up overlaps the message stream's
                self.workers.append(_DiffWorker(self._spawn(DIFF_ARGS), self))
            self.log = self._spawn(self.args)
            self.log_reader.start()
            ordered: deque[_Batch] = deque()  # made, not inserted yet
            pending = _Columns([], [], [], [], [], [])
            size = min(self.batch, FIRST_BATCH) if self.diff_workers else self.batch
            records = 0  # commits in `ordered`
            streaming = True
            while True:
                # New commits first: they keep the diff workers busy.
                while streaming and records < IN_FLIGHT:
                    pieces = []  # what arrived meanwhile, parsed at once
                    with contextlib.suppress(Empty):
                        while (piece := self.chunks.get_nowait()) is not None:
                            pieces.append(piece)
                        streaming = False
                    if pieces:
                        pending.extend(_columns(b"".join(pieces).decode("utf-8", "replace"), self.report,
                                                self.listed))
                        while len(pending.shas) > size:
                            after = pending.shas[size]
                            records += self._dispatch(pending.cut(size), after, ordered)
                            size = min(self.batch, 2 * size)
                    if not streaming:
                        for columns in self._rest(pending):
                            records += self._dispatch(columns, None, ordered)
                    elif pieces and self.diff_workers:
                        self._feed_all()
                    if not pieces:
                        break
                if ordered and ordered[0].done.is_set():
                    batch = ordered.popleft()
                    records -= len(batch.columns.shas)
                    if batch.error is not None:
                        raise batch.error
                    if batch.headers:
                        _answers(batch, batch.answer)
                        batch.answer = ""
                    yield batch
                    continue
                if not streaming and not ordered:
                    return
                self.wake.wait()
                self.wake.clear()
        finally:
            self._close()

    def _read_log(self) -> None:
        """Complete records of the message stream, a chunk at a time, for the consumer."""
        proc = self.log
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        try:
            # git reads the whole --stdin list before it prints a commit.
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.write(self.stdin)
                proc.stdin.close()
            read = proc.stdout.read1  # type: ignore[attr-defined]  # a BufferedReader
            for records in _record_chunks(iter(lambda: read(_READ), b"")):
                self.chunks.put(records)
                self.wake.set()
            failed = _failure(proc, "log")
            if failed is not None:
                raise failed
        except BaseException as exc:  # handed to the consumer
            with self.lock:
                self.fail(exc)
        finally:
            self.chunks.put(None)
            self.wake.set()

    def _rest(self, pending: _Columns) -> Iterator[_Columns]:
        """At the end of the stream: the last batch, then what is left is shared out."""
        if self.failed is not None:
            raise self.failed
        if pending.shas:
            yield pending
        if self.diff_workers:
            with self.lock:
                self.ended = True
                self.left = deque(sorted(self.unsent))
                for worker in self.workers:
                    worker.next = worker.stop = 0
            self._feed_all()

    def _spawn(self, args: list[str]) -> subprocess.Popen[bytes]:
        import subprocess

        with self.lock:
            if self.stopped:
                raise git.GitError("git history reading was stopped")
            try:
                proc = subprocess.Popen(["git", *args], cwd=str(self.root), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment())
            except FileNotFoundError as exc:
                raise git.GitError("git is not installed or not on PATH") from exc
            self.procs.append(proc)
        assert proc.stdout is not None and proc.stdin is not None
        git._grow_pipe(proc.stdout.fileno())
        git._grow_pipe(proc.stdin.fileno())
        return proc

    def _dispatch(self, columns: _Columns, after: str | None, ordered: deque[_Batch]) -> int:
        import threading

        batch = _Batch(columns, threading.Event())
        if self.diff_workers:
            columns.shas[:], lines, regular = _diff_lines(columns.shas, after)
            if regular and None not in lines:  # the common case: a pair of trees each
                pairs = cast("list[str]", lines)
                batch.asked, batch.headers, batch.plain = range(len(pairs)), pairs, True
                batch.lines = "".join(pairs)
            else:
                # diff-tree answers "<sha>" with "<sha>\0" and the paths: a path may be a
                # sha too (a `git notes` tree names the commits it annotates), so the answer
                # about a commit follows a marker line, echoed first, that no path holds.
                marked = self.mark + "c\n"
                asked = [(number, line) for number, line in enumerate(lines) if line is not None]
                batch.asked = [number for number, _ in asked]
                batch.headers = [line if " " in line else f"{marked}{line[:-1]}\0" for _, line in asked]
                batch.plain = all(" " in line for _, line in asked)
                batch.lines = "".join([line if " " in line else marked + line for _, line in asked])
        with self.lock:
            if batch.headers:
                if self.failed is not None:
                    raise self.failed
                self.unsent[self.parsed] = batch
            else:
                batch.done.set()
            self.parsed += 1
        ordered.append(batch)
        return len(columns.shas)

    def _feed_all(self) -> None:
        with self.lock:
            for worker in self.workers:
                self.feed(worker)
            # Another worker once the runs claimed so far are parsed and more follows.
            start = (len(self.workers) < self.diff_workers and not self.stopped and self.failed is None
                     and self.parsed > self.claimed)
        if start:
            worker = _DiffWorker(self._spawn(DIFF_ARGS), self)
            with self.lock:
                self.workers.append(worker)
                self.feed(worker)

    def feed(self, worker: _DiffWorker) -> None:
        """Send `worker` what it may diff now (called under `lock`)."""
        if worker.closed or self.failed is not None:
            return
        while len(worker.sent) < AHEAD:
            if worker.next >= worker.stop and not self._new_run(worker):
                if self.ended:
                    worker.closed = True
                    worker.inbox.put(None)
                return
            if worker.next >= self.parsed:
                return  # its run is not parsed yet
            index = worker.next
            worker.next += 1
            batch = self.unsent.pop(index, None)
            if batch is None:
                continue  # nothing in it to diff
            mark = f"{self.mark}{index}\n"
            worker.sent.append((batch, mark.encode()))
            worker.inbox.put((batch.lines + mark).encode())
            batch.lines = ""

    def _new_run(self, worker: _DiffWorker) -> bool:
        if not self.ended:
            worker.next, worker.stop = self.claimed, self.claimed + RUN
            self.claimed += RUN
            return True
        if not self.left:
            return False
        worker.next = self.left.popleft()
        worker.stop = worker.next + 1
        return True

    def fail(self, exc: BaseException) -> None:
        """Every batch not answered yet fails with `exc` (called under `lock`)."""
        if self.failed is None:
            self.failed = exc
        for worker in self.workers:
            for batch, _ in worker.sent:
                batch.error = self.failed
                batch.done.set()
            worker.sent.clear()
            if not worker.closed:
                worker.closed = True
                worker.inbox.put(None)
        for batch in self.unsent.values():
            batch.error = self.failed
            batch.done.set()
        self.unsent.clear()
        self.wake.set()

    def _close(self) -> None:
        """Stop what still runs (the consumer stopped early or failed) and reap it all."""
        from queue import Empty

        with self.lock:
            self.stopped = True
            for proc in self.procs:
                if proc.poll() is None:
                    proc.kill()
            for worker in self.workers:
                if not worker.closed:
                    worker.closed = True
                    worker.inbox.put(None)
        if self.log_reader.ident is not None:
            while self.log_reader.is_alive():
                with contextlib.suppress(Empty):
                    self.chunks.get(timeout=0.05)
            self.log_reader.join()
        for worker in self.workers:
            worker.reader.join()
            worker.writer.join()
        for proc in self.procs:
            for pipe in (proc.stdin, proc.stdout, proc.stderr):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
            proc.wait()


def rows_with_diff_workers(root: Path, stdin: bytes, report: HistoryReport, workers: int,
                           batch: int = BATCH) -> Iterator[Row]:
    """The rows of `log_args(True)`, in the same order, from a message-only stream plus
    `workers` diff processes."""
    for done in _Pipeline(root, stdin, report, paths=True, diff_workers=max(1, workers), batch=batch):
        yield from done.columns.rows()
