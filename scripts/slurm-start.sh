#!/usr/bin/env bash
# Starts a single-node Slurm (Debian's slurm-wlm: munged, slurmctld, slurmd) on this machine,
# as root and without systemd, for the sweep tests (Tests/HarnessTests/SlurmSweepTests) and
# for trying `repro sweep slurm` locally. Idempotent: does nothing when the node already
# answers. State, spool, logs and pid files live under $REPRO_SLURM_DIR (default
# /var/tmp/repro-slurm); the configuration is written to /etc/slurm/slurm.conf, where the
# client commands (sbatch, squeue, scontrol) look for it. Stop with scripts/slurm-stop.sh.
set -euo pipefail
dir="${REPRO_SLURM_DIR:-/var/tmp/repro-slurm}"
for tool in munged slurmctld slurmd sbatch sinfo; do
    command -v "$tool" >/dev/null || {
        echo "slurm-start: $tool not found; run scripts/install-deps.sh" >&2
        exit 1
    }
done
[ "$(id -u)" = 0 ] || { echo "slurm-start: must run as root (SlurmUser=root)" >&2; exit 1; }

# munge: a key, its folders owned by the munge user, the daemon.
mkdir -p /etc/munge /run/munge /var/log/munge /var/lib/munge
if [ ! -s /etc/munge/munge.key ]; then
    head -c 1024 /dev/urandom >/etc/munge/munge.key
fi
chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge
chmod 400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    su -s /bin/sh munge -c /usr/sbin/munged
    for _ in $(seq 50); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.1
    done
fi
munge -n | unmunge | grep -q "STATUS: *Success" \
    || { echo "slurm-start: munge does not work (see /var/log/munge)" >&2; exit 1; }

# Already up?
if sinfo -h -o %t 2>/dev/null | grep -qE "idle|mix|alloc"; then
    echo "slurm-start: node already up"
    exit 0
fi

host="$(hostname)"
cpus="$(nproc)"
mem=$(($(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024))
mkdir -p "$dir/state" "$dir/spool" "$dir/log" /etc/slurm
cat >/etc/slurm/slurm.conf <<EOF
# Written by repro's scripts/slurm-start.sh: one node, no cgroups, no accounting.
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# Seconds between SIGTERM and SIGKILL: one training iteration plus a checkpoint must fit.
KillWait=30
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

# A node left down by an earlier session comes back with ReturnToService=2.
slurmctld
slurmd
for _ in $(seq 100); do
    if sinfo -h -o %t 2>/dev/null | grep -qE "idle|mix|alloc"; then
        echo "slurm-start: node $host up ($cpus CPUs, $mem MiB)"
        exit 0
    fi
    sleep 0.2
done
echo "slurm-start: node did not become idle; logs in $dir/log" >&2
sinfo >&2 || true
exit 1
