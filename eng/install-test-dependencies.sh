#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: the .NET SDK is expected; git runs the
# agents' workspaces; clang and zlib1g-dev link the native AOT sample; Chromium runs the web host's browser tests.
# PostgreSQL and Redis: eng/test-servers.sh runs them as plain processes for the storage and queue tests.
set -euo pipefail
need=()
command -v git >/dev/null 2>&1 || need+=(git)
# setsid and pgrep: the samples' SIGTERM checks in .ci/run.
command -v setsid >/dev/null 2>&1 || need+=(util-linux)
command -v pgrep >/dev/null 2>&1 || need+=(procps)
# clang and zlib: the native AOT publish of samples/InYourApp (eng/publish-aot.sh) compiles and links with them.
command -v clang >/dev/null 2>&1 || need+=(clang)
# bubblewrap: the OS sandbox every agent command and deployment runs in (tests fail, not skip, without it).
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
# prlimit (util-linux) sets the sandbox's resource limits.
command -v prlimit >/dev/null 2>&1 || need+=(util-linux)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
# redis-server: tests/VirtualItCompany.Storage.Redis.Tests start a private one (or use VIRTUALITCOMPANY_TEST_REDIS); they fail, not skip, without it.
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# chromium: Debian's headless browser that tests/VirtualItCompany.WebHost.BrowserTests drives with Playwright at
# /usr/bin/chromium (Playwright's own browser download is never used; the tests fail, not skip, without it).
[ -x /usr/bin/chromium ] || need+=(chromium)
# postgresql and redis-server: the servers eng/test-servers.sh starts for the tests (in a temporary directory, not as
# the system services); the PostgreSQL and Redis tests fail, not skip, without them.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}"; else sudo apt-get update -qq && sudo apt-get install -y -qq "${need[@]}"; fi
fi
command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK is needed: https://dotnet.microsoft.com/download"; exit 1; }
dotnet --version
git --version
bwrap --version
/usr/bin/chromium --version
ls -d /usr/lib/postgresql/*/bin | tail -n 1
redis-server --version
