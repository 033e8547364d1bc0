#!/usr/bin/env bash
# Installs the Debian packages Fairlead builds against, when any is missing.
# Idempotent: on a machine that has them it does nothing and asks no network.
set -euo pipefail

# sqlite3: the bad-input corpus damages histories with it.
# postgresql: the pushdown tests start a throwaway server (scripts/postgres-test-server).
# openjdk-17-jre-headless, python3-venv: scripts/spark-check runs Spark (pyspark) with them.
# binutils: scripts/build-wheel reads the binary's glibc versions (objdump) and strips it.
# time: CLIModelMemoryTests measures a model load's peak memory with /usr/bin/time.
packages=(libopenblas-dev pkg-config zlib1g-dev libsqlite3-dev sqlite3 postgresql openjdk-17-jre-headless python3-venv binutils time)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
    echo "bootstrap: installing ${missing[*]}" >&2
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
