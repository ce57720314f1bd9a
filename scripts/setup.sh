#!/usr/bin/env bash
# Set-up shared by the README's two commands: a virtual environment with kaskkiri in it, and the
# system packages it needs (LibreOffice and the fonts the templates use). Safe to run again:
# each step is skipped when it is already done.
#   scripts/setup.sh            what `kaskkiri build` needs
#   scripts/setup.sh --test     and what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '[setup] %s\n' "$*" >&2; }
# pip's output only when it fails (this machine's pip config warns about every package).
quiet() {
  local log; log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then grep -v '^WARNING: Location' "$log" >&2; rm -f "$log"; return 1; fi
  rm -f "$log"
}

# --- system packages (Debian) ---------------------------------------------------------------
apt_pkgs=()
command -v soffice >/dev/null 2>&1 || apt_pkgs+=(libreoffice-writer-nogui)
ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || apt_pkgs+=(faketime)
# the resident LibreOffice (faster PDFs): driven through UNO by the system Python
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || apt_pkgs+=(python3-uno)
fc-list 2>/dev/null | grep -i carlito >/dev/null || apt_pkgs+=(fonts-crosextra-carlito)
fc-list 2>/dev/null | grep -i caladea >/dev/null || apt_pkgs+=(fonts-crosextra-caladea)
fc-list 2>/dev/null | grep -i "liberation serif" >/dev/null || apt_pkgs+=(fonts-liberation2)
if [ "$want_test" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || apt_pkgs+=(chromium)
fi
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing system packages: ${apt_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
  else
    say "missing system packages: ${apt_pkgs[*]}"
    say "install them as root:  sudo apt-get install ${apt_pkgs[*]}"
    say "(without LibreOffice kaskkiri writes the Word files only)"
    [ "$want_test" = 1 ] && { say "the tests need them: stopping"; exit 1; }
  fi
fi

# --- the virtual environment ------------------------------------------------------------------
py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$py" -m venv .venv
fi
extras=""
[ "$want_test" = 1 ] && extras="[test]"
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)${extras:+-test}"
if [ ! -f "$stamp" ]; then
  say "installing kaskkiri${extras} into .venv"
  quiet .venv/bin/python -m pip install --disable-pip-version-check -e ".${extras}"
  touch "$stamp"
fi
