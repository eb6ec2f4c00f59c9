"""Which rule module judges which program, and the program names that make a cross-cutting
rule apply to a call.

The hook imports a rule module only when the line runs one of its programs: each module
costs a few tenths of a millisecond to import, and loading all of them on every tool
call put a denied Bash call over the latency budget (2x a bare interpreter start). The
table must list exactly the programs of each module's `RULES`
(tests/guard/test_programs.py checks both directions)."""

from __future__ import annotations

_BY_MODULE: dict[str, tuple[str, ...]] = {
    "rules_delete": (
        "file-rename", "find", "mv", "perl-rename", "prename", "rename", "rename.ul", "rimraf", "rm", "rmdir",
        "shred", "trash", "truncate", "unlink",
    ),
    "rules_files": (
        "aria2c", "cp", "curl", "dd", "gsed", "http", "https", "install", "ln", "sed", "tee", "touch",
        "wget", "xh", "xhs",
    ),
    "rules_git": (
        "git", "patch",
    ),
    "rules_gh": (
        "gh",
    ),
    "rules_code": (
        "alembic", "artisan", "bin/rails", "bun", "deno", "django-admin", "flask", "knex", "lua",
        "manage.py", "mikro-orm", "mix", "node", "perl", "php", "prisma", "python", "python3", "rails",
        "rake", "ruby", "sequelize", "sequelize-cli", "typeorm", "typeorm-ts-node-commonjs",
        "typeorm-ts-node-esm",
    ),
    "rules_exec": (
        "awk", "bsdtar", "duckdb", "ed", "ex", "gawk", "gdb", "gdb-multiarch", "gmake", "gtar", "gview",
        "gvim", "lldb", "make", "mawk", "nawk", "nex", "nvim", "red", "script", "sqlite3", "tar", "vi",
        "view", "vim", "vimdiff",
    ),
    "rules_infra": (
        "aws", "az", "diskutil", "doctl", "dropdb", "eksctl", "fdisk", "firebase", "fly", "flyctl", "gcloud",
        "gsutil", "helm", "heroku", "kubectl", "mke2fs", "mkfs", "mkfs.btrfs", "mkfs.exfat",
        "mkfs.ext2", "mkfs.ext3", "mkfs.ext4", "mkfs.f2fs", "mkfs.fat", "mkfs.ntfs", "mkfs.vfat", "mkfs.xfs",
        "mkswap", "mysqladmin", "netlify", "oc", "parted", "sfdisk", "sgdisk", "vercel", "wipefs", "wrangler",
    ),
    "rules_iac": (
        "amplify", "cdk", "cdktf", "copilot", "eb", "pulumi", "sam", "serverless", "sls", "sst", "terraform",
        "terragrunt", "tofu",
    ),
    "rules_power": (
        "halt", "init", "kexec", "kill", "loginctl", "poweroff", "reboot", "shutdown", "telinit",
    ),
    "rules_modes": (
        "chattr", "chgrp", "chmod", "chown", "setfacl",
    ),
    "rules_packages": (
        "cargo", "changeset", "conda", "dart", "dotnet", "flit", "flutter", "gem", "gradle", "gradlew",
        "hatch", "lerna", "mamba", "maturin", "mvn", "npm", "nuget", "pdm", "pip", "pip3", "pipx", "pnpm",
        "poetry", "rye", "twine", "uv", "yarn", "bundle", "go",
    ),
    "rules_host": (
        "at", "batch", "crontab", "docker", "killall", "launchctl", "nerdctl", "nsenter", "op", "pkill",
        "podman", "rsync", "security", "setcap", "systemctl", "vault",
    ),
    "rules_chain": (
        "alias", "trap",
    ),
    "rules_accounts": (
        "adduser", "chpasswd", "chsh", "deluser", "gpasswd", "groupmod", "passwd", "ssh-keygen", "useradd",
        "userdel", "usermod", "vipw", "visudo",
    ),
    "rules_archives": (
        "7z", "7za", "7zr", "7zz", "cpio", "unzip", "zip",
    ),
    "rules_build": (
        "cmake", "nox", "py.test", "pytest", "tox",
    ),
    "rules_fileclis": (
        "del", "del-cli", "shx", "trash-put",
    ),
    "rules_powershell": (
        "powershell", "powershell.exe", "pwsh", "pwsh.exe",
    ),
}
_BY_MODULE.update({  # the sixth set's host classes: mirrors, tunnels, fleet tools, kill-all
    "rules_mirror": ("azcopy", "mc", "mcli", "rclone", "s3cmd", "s5cmd"),
    "rules_tunnel": ("bore", "chisel", "cloudflared", "devtunnel", "frpc", "localtunnel", "lt", "ngrok",
                     "tailscale", "zrok"),
    "rules_remote": ("ansible", "clush", "parallel-ssh", "pdsh", "pssh", "salt", "salt-call", "salt-ssh"),
})
_BY_MODULE["rules_power"] += ("killall5",)
# program -> name of the module (in agentops_os.guard) whose RULES judge it
RULE_MODULES: dict[str, str] = {program: module for module, programs in _BY_MODULE.items()
                                for program in programs}

# Programs whose job is to run something else as another (usually the root) user.
PRIVILEGE = frozenset({"sudo", "doas", "pkexec", "su", "run0", "systemd-run"})  # systemd-run: its timers
CONTAINER_CLIS = frozenset({"docker", "podman", "nerdctl"})
# Programs that send their standard input over the network.
SENDERS = frozenset({"curl", "wget", "nc", "ncat", "netcat", "socat", "http", "https", "xh", "telnet"})
# Programs with other rules too (rules_infra): their secret reads are checked besides.
SECRET_CLIS = frozenset({"aws", "kubectl", "oc", "gh", "gcloud", "az"})
