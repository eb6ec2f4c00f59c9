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
        "shred", "srm", "trash", "truncate", "unlink", "wipe",
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
        "poetry", "rye", "twine", "uv", "yarn", "bundle", "go", "pipenv",
        "buildah", "crane", "skopeo", "regctl", "oras", "ko", "docker-compose", "podman-compose",
    ),
    "rules_host": (
        "at", "batch", "crontab", "docker", "killall", "launchctl", "nerdctl", "nsenter", "pkill",
        "podman", "rsync", "setcap", "systemctl",
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
_BY_MODULE["rules_scripts"] = (  # the seventh set's interpreters (codelangs.PROGRAMS)
    "emacs", "emacsclient", "expect", "julia", "lua5.1", "lua5.2", "lua5.3", "lua5.4", "luajit", "osascript",
    "R", "Rscript", "tclsh", "tclsh8.5", "tclsh8.6", "tclsh9.0", "wish", "wish8.6",
    # the eighth set's: Schemes, Common Lisps (codelisp), Erlang and Elixir (codelangs.beam_code)
    "guile", "racket", "sbcl", "clisp", "ecl", "ccl", "ccl64", "csi", "gosh", "mit-scheme", "chez",
    "chezscheme", "scheme", "petite", "chibi-scheme", "gxi", "erl", "elixir",
)
_BY_MODULE.update({  # the seventh set's: stores that print a credential, raw network clients
    "rules_vaults": ("security", "vault", "op", "pass", "gopass", "bw", "rbw", "lpass", "keepassxc-cli",
                     "secret-tool", "kwallet-query", "sops", "ansible-vault", "chamber", "doppler",
                     "infisical",
                     *(f"docker-credential-{h}" for h in ("desktop", "desktop.exe", "osxkeychain", "pass",
                                                          "secretservice", "wincred", "wincred.exe",
                                                          "ecr-login", "gcloud", "acr-env"))),
    "rules_rawnet": ("nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "socat", "telnet", "openssl"),
    "rules_persist": ("schtasks", "schtasks.exe", "reg", "reg.exe", "sc.exe", "cmd", "cmd.exe", "defaults",
                      "plutil"),
})
_BY_MODULE["rules_vaults"] += ("keyring", "gpg", "gpg2", "gcore")  # the eighth set's credential printers
_BY_MODULE["rules_transfer"] = ("ftp", "lftp", "smbclient")  # the eighth set's: scripted uploads
_BY_MODULE["rules_origin"] = ("nix", "uvx")  # and programs run from a repository or URL
_BY_MODULE["rules_data"] = ("bq", "neon", "neonctl", "pscale", "supabase", "turso")  # hosted data deletes
_BY_MODULE["rules_launch"] = (  # the eighth set's: programs that run a command they are handed
    "abduco", "alacritty", "aterm", "byobu", "byobu-screen", "byobu-tmux", "cool-retro-term", "dtach",
    "eterm", "foot", "ghostty", "gnome-terminal", "kgx", "kitty", "konsole", "lxterminal", "man",
    "mate-terminal", "ptyxis", "qterminal", "rxvt", "sakura", "screen", "st", "terminator", "terminology",
    "tilix", "tmux", "urxvt", "uxterm", "wezterm", "xdotool", "xfce4-terminal", "xterm",
)
_BY_MODULE["rules_archives"] += (  # archivers and compressors that delete their inputs (archivedel)
    "bunzip2", "bzip2", "gunzip", "gzip", "lbzip2", "lz4", "lzip", "lzma", "pbzip2", "pigz", "plzip", "pzstd",
    "rar", "unlz4", "unlzma", "unpigz", "unxz", "unzstd", "xz", "zstd",
)
# program -> name of the module (in agentops_os.guard) whose RULES judge it
RULE_MODULES: dict[str, str] = {program: module for module, programs in _BY_MODULE.items()
                                for program in programs}

# Programs whose job is to run something else as another (usually the root) user.
PRIVILEGE = frozenset({"sudo", "doas", "pkexec", "su", "run0", "systemd-run"})  # systemd-run: its timers
CONTAINER_CLIS = frozenset({"docker", "podman", "nerdctl"})
# Programs that send their standard input over the network.
SENDERS = frozenset({"curl", "wget", "nc", "ncat", "netcat", "socat", "http", "https", "xh", "telnet"})
# Programs with other rules too (rules_infra): their secret reads are checked besides.
SECRET_CLIS = frozenset({"aws", "kubectl", "oc", "gh", "gcloud", "az", "doctl", "heroku", "fly", "flyctl",
                         "python", "python3", "node", "gdb", "gdb-multiarch", "lldb"})  # keyring, memory
