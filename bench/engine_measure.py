"""What a run of ``bench/engine.py`` costs: CPU seconds and peak memory, Ray's processes too."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path


def descendants(root: int | None = None) -> list[int]:
    """Process ids below ``root`` (this process): Ray's raylet, GCS and workers."""
    parents: dict[int, int] = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            parents[int(pid)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root or os.getpid()]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


class CpuSampler:
    """CPU seconds (user + system) of the processes below this one (Ray's raylet, GCS,
    actors, task workers), sampled every second: an actor Ray Data stops at the end of a
    dataset is counted up to its last sample."""

    def __init__(self) -> None:
        import threading

        self.seen: dict[int, float] = {}
        self.peaks: dict[int, tuple[str, float]] = {}  # pid -> (name, VmHWM MiB)
        # This process's resident memory by kind, the most seen: anonymous (the Python heap
        # and numpy), shared memory (Ray's object store pages the driver has read) and files.
        self.driver_parts: dict[str, float] = {"RssAnon": 0.0, "RssShmem": 0.0, "RssFile": 0.0}
        self.worker_parts: dict[int, dict[str, float]] = {}  # pid -> the same, per Ray worker
        # (seconds since start, the driver's anonymous MiB) every 10 s: where its heap grows
        self.driver_timeline: list[tuple[float, float]] = []
        self._started = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.sample()

    def sample(self) -> None:
        for line in Path("/proc/self/status").read_text().splitlines():
            kind = line.split(":")[0]
            if kind in self.driver_parts:
                self.driver_parts[kind] = max(self.driver_parts[kind], int(line.split()[1]) / 1024)
                elapsed = time.perf_counter() - self._started
                if kind == "RssAnon" and elapsed >= 10 * len(self.driver_timeline):
                    self.driver_timeline.append((round(elapsed), int(line.split()[1]) // 1024))
        for pid in descendants():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            try:
                name = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(
                    errors="replace")
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            if name.startswith("ray::"):  # a worker: ray::MapWorker(...), ray::cluster_block
                peak = next((int(line.split()[1]) / 1024 for line in status.splitlines()
                             if line.startswith("VmHWM:")), 0.0)
                self.peaks[pid] = (name.split("(")[0][:40], peak)
                # Its own heap against the object store's pages it has mapped, most seen.
                kinds = self.worker_parts.setdefault(pid, {"RssAnon": 0.0, "RssShmem": 0.0})
                for line in status.splitlines():
                    kind = line.split(":")[0]
                    if kind in kinds:
                        kinds[kind] = max(kinds[kind], int(line.split()[1]) / 1024)

    def worker_split(self) -> list[dict[str, float]]:
        """Per Ray worker (biggest total first): the most anonymous and shared MiB seen."""
        return sorted(self.worker_parts.values(), key=lambda k: -(k["RssAnon"] + k["RssShmem"]))

    def worker_peaks(self) -> list[tuple[str, float]]:
        """Peak memory of every Ray worker seen, biggest first (name, MiB)."""
        return sorted(self.peaks.values(), key=lambda item: -item[1])

    def total(self) -> float:
        self.sample()
        self._stop.set()
        return sum(self.seen.values())


def self_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def driver_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
