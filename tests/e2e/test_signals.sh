# SIGINT, SIGTERM, SIGHUP and SIGKILL at random moments of long runs: see
# stop_signals.py, which needs only Python's standard library.
set -euo pipefail
exec /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/stop_signals.py"
