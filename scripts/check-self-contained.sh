#!/usr/bin/env bash
# A clone must build and test with nothing beside it: no code, test, script or build file may read a
# path outside the repository, and every project doc a comment cites must exist in it.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
# Markdown may mention such paths in prose; everything else (code, tests, build, scripts) may not.
# This script is excluded because its own pattern would match.
if git grep -nE '\.\./shared|shared/volcengine|/\.library/|/work/(main|shared)' -- . ':!*.md' ':!scripts/check-self-contained.sh'; then
  echo 'self-contained: the lines above refer to a path outside the repository' >&2
  status=1
fi
# Since issue 15 the backend is two Maven modules, backend/emulator and backend/app: a path of the old
# single-module layout (backend/src/..., backend/target/...) names nothing. backend/target itself still
# exists (the parent pom's spotless index), which is why .gitignore may list it.
if git grep -nE 'backend/(src|target)/' -- . ':!scripts/check-self-contained.sh' ':!.gitignore'; then
  echo 'self-contained: the lines above use the old backend layout (now backend/app/src, backend/emulator/src, backend/app/target, ...)' >&2
  status=1
fi
while IFS= read -r cited; do
  if [ ! -f "$cited" ]; then
    echo "self-contained: $cited is cited but not in the repository" >&2
    status=1
  fi
done < <(git grep -ohE 'docs/[A-Za-z0-9_./-]+\.md' -- . ':!*.md' | sort -u)
exit $status
