#!/usr/bin/env bash
# `npm test` runs this first (npm's pretest), so the README's `npm ci && npm test` works on a fresh
# machine: the Debian tools the suites use (Chromium, heif-enc, etcd, promtool), the build (the
# browser tests run the real notes and media from their dist), and kube-apiserver for the
# operations view's tests and versitygw for media's S3 tests (both built once from their Go modules,
# cached). Each step is a no-op when done.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ci/install-system-deps.sh
node node_modules/typescript/bin/tsc -b tsconfig.build.json
bash scripts/kube/install-apiserver.sh >/dev/null
bash scripts/s3/install-versitygw.sh >/dev/null
