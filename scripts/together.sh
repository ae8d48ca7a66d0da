#!/usr/bin/env bash
# Runs each argument as a command, side by side (the web server and the task worker). When one of them
# ends, or on Ctrl-C, the others are stopped too, and the exit status is the first one's.
set -u
pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null; wait; }
trap 'stop; exit 130' INT TERM
for command in "$@"; do
  bash -c "exec $command" &
  pids+=($!)
done
wait -n
status=$?
stop
exit "$status"
