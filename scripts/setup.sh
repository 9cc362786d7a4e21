#!/usr/bin/env bash
# Installs what building and testing chaoslab needs beyond Swift itself, on Debian:
# - libsqlite3-dev: GRDB links the system SQLite;
# - toxiproxy-python (PyPI): a test drives the lab server with Toxiproxy's Python client;
# - chaostoolkit (PyPI): a test validates and runs an exported experiment with `chaos`;
# - jsonschema and PyYAML (PyPI): a test checks lab files against `chaoslab schema` as editors do;
# - chromium and chromium-driver: the browser tests drive headless Chromium through WebDriver;
# - prometheus and prometheus-alertmanager: `chaoslab start` runs them beside the shop, and the
#   status checks of kind prometheus and alerts ask them (setpriv, from util-linux, ties them
#   to the lab server's life).
# Safe to run again: it installs only what is missing.
set -euo pipefail

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "setup: need root to run: $*" >&2; exit 1
    fi
}

if ! dpkg -s libsqlite3-dev >/dev/null 2>&1; then
    echo "setup: installing libsqlite3-dev"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev
fi

if ! command -v python3 >/dev/null; then
    echo "setup: installing python3"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-pip
fi

if ! python3 -c "import toxiproxy, future, requests" >/dev/null 2>&1; then
    echo "setup: installing toxiproxy-python from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check toxiproxy-python \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages toxiproxy-python
fi
if ! python3 -c "import chaostoolkit, chaoslib" >/dev/null 2>&1; then
    echo "setup: installing chaostoolkit from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check chaostoolkit \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages chaostoolkit
fi
if ! python3 -c "import jsonschema, yaml" >/dev/null 2>&1; then
    echo "setup: installing jsonschema and PyYAML from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check jsonschema PyYAML \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages jsonschema PyYAML
fi
missing_browser=()
for package in chromium chromium-driver; do
    dpkg -s "$package" >/dev/null 2>&1 || missing_browser+=("$package")
done
if [ ${#missing_browser[@]} -gt 0 ]; then
    echo "setup: installing ${missing_browser[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_browser[@]}"
fi
missing_monitoring=()
for package in prometheus prometheus-alertmanager; do
    dpkg -s "$package" >/dev/null 2>&1 || missing_monitoring+=("$package")
done
if [ ${#missing_monitoring[@]} -gt 0 ]; then
    echo "setup: installing ${missing_monitoring[*]}"
    as_root apt-get update -qq
    # Without recommends: no node exporter, no systemd units started on a machine without systemd.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_monitoring[@]}"
fi
echo "setup: ready"
