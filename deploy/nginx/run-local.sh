#!/usr/bin/env bash
# Runs nginx with deploy/nginx/prism.conf in front of local Prism nodes, without root and without touching
# /etc/nginx: `deploy/nginx/run-local.sh 8080 8081 8082 8083` listens on 127.0.0.1:8080 and balances (round robin)
# over the nodes' HTTP ports 8081..8083. Files (config, logs, pid) go to ${PRISM_NGINX_DIR:-/tmp/prism-nginx}.
# Stop it with `kill $(cat /tmp/prism-nginx/nginx.pid)`. For a real deployment, see deploy/README.md.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 LISTEN_PORT NODE_HTTP_PORT..." >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
dir="${PRISM_NGINX_DIR:-/tmp/prism-nginx}"
listen="$1"
shift
mkdir -p "$dir"
servers=""
for port in "$@"; do
  servers+="    server 127.0.0.1:$port max_fails=1 fail_timeout=10s;\n"
done
# The node lines between the markers replaced, the public port on loopback.
sed -e "/# nodes:begin/,/# nodes:end/c\\
$servers" -e "s/^    listen 80;/    listen 127.0.0.1:$listen;/" "$here/prism.conf" > "$dir/prism.conf"
{
  [ "$(id -u)" = 0 ] && echo "user root;"
  echo "worker_processes 1;"
  echo "pid $dir/nginx.pid;"
  echo "events { worker_connections 1024; }"
  echo "http {"
  echo "    access_log $dir/access.log;"
  for t in client_body proxy fastcgi uwsgi scgi; do echo "    ${t}_temp_path $dir/$t;"; done
  echo "    include $dir/prism.conf;"
  echo "}"
} > "$dir/nginx.conf"
nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" -t -q
nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf"
echo "nginx on http://127.0.0.1:$listen in front of $*; logs in $dir"
