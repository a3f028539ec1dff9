#!/usr/bin/env bash
# Stops the single-node Slurm of scripts/slurm-start.sh by the pids in its pid files.
set -euo pipefail
dir="${REPRO_SLURM_DIR:-/var/tmp/repro-slurm}"
for daemon in slurmd slurmctld; do
    pidfile="$dir/$daemon.pid"
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill "$(cat "$pidfile")"
        echo "slurm-stop: stopped $daemon"
    fi
done
