"""Container images pushed to a registry (`publish`, asked, as `npm publish` is).

An image pushed under a tag others pull (`acme/app:latest`) ships whatever the build put
in it, secrets included, to every machine that pulls it next. Asked: `docker push`,
`docker image push`, `docker manifest push`, `docker compose push` (also `podman`,
`nerdctl`, `docker-compose`), a build that pushes (`docker buildx build --push`,
`--output type=registry`, `-o type=image,push=true`, `buildx bake --push`, `podman
build --push`), `buildah push`, `crane push|copy|append|mutate|tag`, `skopeo copy|sync`
to `docker://`, `regctl image copy`, `oras push|copy`, `ko build|apply|resolve` (they push
unless `--local`/`--push=false`), `helm push`. Pulling, tagging and building locally
(`docker build -t x .`, `buildx build --load`) pass."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict


def container_push(judge: Scope, program: str, words: list[str]) -> Verdict | None:
    """docker/podman/nerdctl with the global options already dropped (`words` starts at
    the subcommand)."""
    if words[:1] == ["compose"]:  # `docker compose -f x.yml push`
        rest = [w for w in words[1:] if not w.startswith("-")]
        return _verdict(judge, f"{program} compose push") if rest[:1] == ["push"] else None
    head = [w for w in words[:3] if not w.startswith("-")]
    if head[:1] == ["push"] or head[:2] in (["image", "push"], ["manifest", "push"]):
        return _verdict(judge, f"{program} {' '.join(head[:2]) if head[0] != 'push' else 'push'}")
    building = head[:1] == ["build"] or head[:2] in (
        ["buildx", "build"], ["buildx", "bake"], ["image", "build"], ["builder", "build"])
    if building and _pushes(words):
        return _verdict(judge, f"{program} {' '.join(head[:2])} --push")
    return None


def _pushes(words: list[str]) -> bool:
    for k, word in enumerate(words):
        if word in ("--push", "--push=true"):
            return True
        value = word.split("=", 1)[1] if word.startswith("--output=") else (
            words[k + 1] if word in ("-o", "--output") and k + 1 < len(words) else "")
        if "type=registry" in value or ("push=true" in value and "type=image" in value):
            return True
    return False


def _verdict(judge: Scope, what: str) -> Verdict | None:
    return judge.verdict("publish", "ask", f"{what} publishes an image to a registry")


def image_tools(judge: Scope, call: Call) -> Verdict | None:
    """buildah, crane, skopeo, regctl, oras, ko, docker-compose, helm."""
    argv = call.argv
    words = [w for w in argv if not w.startswith("-")]
    verb = words[0] if words else ""
    name = call.name
    if name == "docker-compose":
        return _verdict(judge, "docker-compose push") if verb == "push" else None
    if name == "podman-compose":
        return _verdict(judge, "podman-compose push") if verb == "push" else None
    pushes = (
        (name == "buildah" and (verb == "push" or words[:2] == ["manifest", "push"]
                                or verb in ("bud", "build") and "--push" in argv))
        or (name == "crane" and verb in ("push", "copy", "cp", "append", "mutate", "tag", "rebase",
                                         "flatten"))
        or (name == "skopeo" and verb in ("copy", "sync") and len(words) > 1 and words[-1].startswith("docker://"))
        or (name == "skopeo" and verb == "sync" and "docker" in _values(argv, "--dest"))
        or (name == "regctl" and words[:2] in (["image", "copy"], ["image", "put"], ["manifest", "put"],
                                               ["artifact", "put"], ["index", "create"]))
        or (name == "oras" and verb in ("push", "copy", "cp", "attach", "tag"))
        or (name == "ko" and verb in ("build", "publish", "apply", "resolve", "create")
            and not any(a in ("--local", "-L", "--push=false") for a in argv))
        or (name == "helm" and verb == "push")
    )
    return _verdict(judge, f"{name} {verb}") if pushes else None


def _values(argv: list[str], option: str) -> list[str]:
    out = []
    for k, arg in enumerate(argv):
        if arg == option and k + 1 < len(argv):
            out.append(argv[k + 1])
        elif arg.startswith(option + "="):
            out.append(arg.split("=", 1)[1])
    return out
