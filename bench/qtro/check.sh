#!/bin/sh
# Runs every workload of qtro-client once against a fresh qtro-server, over a
# Unix socket and over TCP, and prints the JSON lines (a hand check of
# PROTOCOL.md, not the benchmark: bench/run.sh is).
# Usage: bench/qtro/check.sh [BUILD_DIR] [PORT]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$(cd "$here/../.." && pwd)/_build-bench-qtro}
port=${2:-47411}
server=$build/qtro-server
client=$build/qtro-client
tmp=$(mktemp -d)
server_pid=
feed_pid=

stop_server() {
	# Closing the server's stdin stops it.
	[ -n "$feed_pid" ] && kill "$feed_pid" 2>/dev/null || true
	[ -n "$server_pid" ] && wait "$server_pid" 2>/dev/null || true
	feed_pid=
	server_pid=
}
trap 'stop_server; rm -rf "$tmp"' EXIT INT TERM

start_server() {
	mkfifo "$tmp/in"
	sleep 100000 > "$tmp/in" &
	feed_pid=$!
	"$server" "$1" < "$tmp/in" > "$tmp/out" &
	server_pid=$!
	i=0
	until grep -q READY "$tmp/out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "check.sh: no READY from $1" >&2; exit 1; }
		sleep 0.05
	done
	# Both ends are open now.
	rm -f "$tmp/in"
}

for address in "unix:$tmp/bench.sock" "tcp:127.0.0.1:$port"; do
	echo "== $address"
	start_server "$address"
	# startup first: once blob has been set, every new replica's
	# initialization carries the 1 MiB value too.
	for workload in startup "rtt 20000" "pipelined 10000" "push 100000" \
			"signals 100000" "blob 200"; do
		# shellcheck disable=SC2086
		printf '%-16s %s\n' "$workload" "$("$client" "$address" $workload)"
	done
	printf '%-16s %s\n' "idle" "$(echo | "$client" "$address" idle)"

	# Fan-out: two clients wait for value == 20000, a third pushes.
	"$client" "$address" fanout-wait 20000 > "$tmp/f1" &
	f1=$!
	"$client" "$address" fanout-wait 20000 > "$tmp/f2" &
	f2=$!
	until [ -s "$tmp/f1" ] && [ -s "$tmp/f2" ]; do sleep 0.05; done
	printf '%-16s %s\n' "push 20000" "$("$client" "$address" push 20000)"
	wait "$f1" "$f2"
	printf '%-16s %s\n' "fanout-wait" "$(tail -n 1 "$tmp/f1")" "fanout-wait" "$(tail -n 1 "$tmp/f2")"
	stop_server
done
