#!/usr/bin/env bash
# Several app processes on one PostgreSQL store behind nginx with sticky sessions:
#   DMST_DB=postgresql://dmst@db/dmst bash scripts/serve_cluster.sh N
# N processes of serve.py on 127.0.0.1:DMST_APP_PORT, +1, … (default 8511…), nginx (deploy/nginx-cluster.conf,
# filled in a temporary folder that also holds the logs) on DMST_ADDRESS:DMST_PORT (default 127.0.0.1:8501).
# The processes share the sign-in cookie's secret, and trust nginx's X-Forwarded-For. Ctrl-C (or SIGTERM)
# stops them all; so does the end of any one of them. Exit codes: 2 usage (N, or DMST_DB not PostgreSQL),
# 1 nginx missing.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-}"
if ! [[ "$n" =~ ^[1-9][0-9]?$ ]]; then
  echo "Cách dùng: DMST_DB=postgresql://… bash scripts/serve_cluster.sh N (N: số tiến trình ứng dụng, 1–99)" >&2
  exit 2
fi
case "${DMST_DB:-}" in
  postgresql://*|postgres://*) ;;
  *) echo "Lỗi: nhiều tiến trình ứng dụng cần một cơ sở dữ liệu PostgreSQL dùng chung: đặt DMST_DB=postgresql://… \
(một tệp DuckDB chỉ một tiến trình ghi được; xem README, mục Triển khai)." >&2
     exit 2 ;;
esac
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "Lỗi: chưa cài nginx (Debian: apt-get install nginx)." >&2
  exit 1
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m store users list >/dev/null   # create or migrate the store once, before the apps start

run="$(mktemp -d -t dmst-cluster-XXXXXX)"
chmod 755 "$run"   # nginx's workers (an unprivileged user) keep their temporary files in it
pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$run"
}
trap stop EXIT
trap 'exit 0' INT TERM

secret="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')"
export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$secret}"
export DMST_TRUSTED_PROXIES="${DMST_TRUSTED_PROXIES:-127.0.0.1}"
base="${DMST_APP_PORT:-8511}"
servers=""
for ((i = 0; i < n; i++)); do
  port=$((base + i))
  .venv/bin/python serve.py --server.address 127.0.0.1 --server.port "$port" >"$run/app-$port.log" 2>&1 &
  pids+=("$!")
  servers+="server 127.0.0.1:$port max_fails=0;"
done
listen="${DMST_ADDRESS:-127.0.0.1}:${DMST_PORT:-8501}"
sed -e "s|@RUN@|$run|g" -e "s|@LISTEN@|$listen|" -e "s|@SERVERS@|$servers|" deploy/nginx-cluster.conf >"$run/nginx.conf"
"$NGINX" -p "$run" -c "$run/nginx.conf" -e "$run/error.log" &
pids+=("$!")
echo "Đang chạy $n tiến trình ứng dụng (cổng $base–$((base + n - 1))) sau nginx: http://$listen (nhật ký: $run)"
wait -n
