# shellcheck shell=bash
# ./reader test — installs what is missing, builds, runs every test project, and ends with
# one line "N passed, N failed" (counted from the TRX results of all projects).

cmd_test() {
  local filter="" 
  while [ $# -gt 0 ]; do
    case "$1" in
      --filter) filter="$2"; shift 2 ;;
      *) die "test: unknown option $1" ;;
    esac
  done
  ensure_base
  local results="$READER_ARTIFACTS/test-results"
  rm -rf "$results" && mkdir -p "$results"
  if ! (ensure_build); then echo "0 passed, 1 failed"; return 1; fi
  # What an area's tests need beyond the build (ensure_test_<area> in scripts/<area>.sh, e.g. the arm64 build).
  local fn
  for fn in $(declare -F | awk '{print $3}' | grep '^ensure_test_' | sort); do "$fn"; done

  local args=(test "$READER_ROOT/Reader.sln" -c "$READER_CONFIGURATION" --no-build --artifacts-path "$READER_ARTIFACTS" -nologo
              --logger "trx" --results-directory "$results" -v quiet)
  [ -n "$filter" ] && args+=(--filter "$filter")
  # Tests start their own pcscd, vpcd cards and brokers; they only need the machine set up.
  local rc=0
  dotnet "${args[@]}" >&2 || rc=$?

  local passed failed skipped
  read -r passed failed skipped < <(_trx_counts "$results")
  # A crashed test host leaves no failed outcome behind; count it so it cannot pass silently.
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  [ "$failed" -gt 0 ] && _trx_failures "$results" >&2
  echo "$skipped skipped" >&2
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# _trx_failures <dir> — each failed test's name and the first lines of its message and output, so a CI log that
# only keeps the console says why (the TRX files stay in the artefacts folder).
_trx_failures() {
  command -v python3 >/dev/null || return 0
  python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
        print(f"FAILED {result.get('testName')}")
        for tag in ("t:Output/t:ErrorInfo/t:Message", "t:Output/t:ErrorInfo/t:StackTrace", "t:Output/t:StdOut"):
            text = result.findtext(tag, default="", namespaces=ns).strip().splitlines()
            for line in text[:12] if tag.endswith("Message") else text[-12:] if tag.endswith("StdOut") else text[:4]:
                print("    " + line)
PY
}

# _trx_counts <dir> — sums passed / failed / skipped over the <Counters> of every TRX file. A skipped test
# is counted in "total" but not in "executed" (xunit leaves notExecuted at 0).
_trx_counts() {
  local p=0 f=0 s=0 line
  while IFS= read -r line; do
    [[ "$line" =~ passed=\"([0-9]+)\" ]] && p=$((p + BASH_REMATCH[1]))
    [[ "$line" =~ failed=\"([0-9]+)\" ]] && f=$((f + BASH_REMATCH[1]))
    [[ "$line" =~ total=\"([0-9]+)\" ]] && s=$((s + BASH_REMATCH[1]))
    [[ "$line" =~ executed=\"([0-9]+)\" ]] && s=$((s - BASH_REMATCH[1]))
  done < <(cat "$1"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>')
  echo "$p $f $s"
}
