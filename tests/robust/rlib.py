# SPDX-License-Identifier: ISC
"""Shared by the overload and soak tests: a private network namespace
with a veth pair, processes ended by PID, resident memory sampled from
/proc, and the daemon's log lines parsed.

Traffic only ever goes into the veth pair of a namespace this module
created, and the namespace is deleted on exit, on an exception and on
SIGINT/SIGTERM alike."""

import os
import re
import signal
import subprocess
import threading
import time

TX = "rb0"      # tcpreplay sends here
RX = "rb1"      # flowidd captures here


def _term(signum, frame):
    raise SystemExit(128 + signum)


class Netns:
    """ip netns add NAME, a veth pair inside it, IPv6 off so the kernel
    sends nothing of its own onto the captured link.  Use with 'with'."""

    def __init__(self, tag):
        self.name = "flowidd-%s-%d" % (tag, os.getpid())
        self.procs = []

    def __enter__(self):
        signal.signal(signal.SIGTERM, _term)
        signal.signal(signal.SIGINT, _term)
        sh(["ip", "netns", "add", self.name])
        try:
            self.run(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                      "net.ipv6.conf.default.disable_ipv6=1"])
            sh(["ip", "-n", self.name, "link", "add", TX, "type", "veth",
                "peer", "name", RX])
            for dev in (TX, RX):
                sh(["ip", "-n", self.name, "link", "set", dev, "up"])
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        subprocess.run(["ip", "netns", "del", self.name],
                       stderr=subprocess.DEVNULL)
        return False

    def cmd(self, argv):
        return ["ip", "netns", "exec", self.name] + list(argv)

    def run(self, argv, **kw):
        return sh(self.cmd(argv), **kw)

    def spawn(self, argv, **kw):
        """Start argv in the namespace (ip netns exec execs it, so the
        PID is the command's own)."""
        p = subprocess.Popen(self.cmd(argv), **kw)
        self.procs.append(p)
        return p

    def rx_dropped(self):
        """The receive side's own drop counter (veth backlog)."""
        out = self.run(["cat", "/sys/class/net/%s/statistics/rx_dropped" %
                        RX], capture_output=True, text=True).stdout
        return int(out.strip() or 0)


def sh(argv, **kw):
    kw.setdefault("check", True)
    return subprocess.run(argv, **kw)


def able_live():
    """None if live tests can run here, else the reason they cannot."""
    if os.geteuid() != 0:
        return "needs root for network namespaces"
    for tool in ("ip", "tcpreplay"):
        if subprocess.run(["sh", "-c", "command -v " + tool],
                          stdout=subprocess.DEVNULL).returncode != 0:
            return tool + " is missing (make deps)"
    return None


def rss_kib(pid):
    """VmRSS of a process in KiB, or None once it is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    """VmRSS every period seconds, as (seconds since start, KiB, phase);
    phase is whatever the test last set, so samples can be told apart."""

    def __init__(self, pid, period=0.25):
        super().__init__(daemon=True)
        self.pid = pid
        self.period = period
        self.samples = []
        self.phase = "start"
        self.t0 = time.monotonic()
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            kib = rss_kib(self.pid)
            if kib is None:
                break
            self.samples.append((time.monotonic() - self.t0, kib,
                                 self.phase))
            self._halt.wait(self.period)

    def stop(self):
        self._halt.set()
        self.join()

    def peak(self, phase=None):
        v = [k for _, k, ph in self.samples if phase in (None, ph)]
        return max(v) if v else 0

    def last(self, phase=None):
        v = [k for _, k, ph in self.samples if phase in (None, ph)]
        return v[-1] if v else 0

    def write_csv(self, path):
        with open(path, "w") as f:
            f.write("seconds,rss_kib,phase\n")
            for t, k, ph in self.samples:
                f.write("%.2f,%d,%s\n" % (t, k, ph))


def slope_kib_per_min(samples):
    """Least-squares slope of (seconds, KiB) pairs, in KiB a minute."""
    n = len(samples)
    if n < 2:
        return 0.0
    mt = sum(t for t, _ in samples) / n
    mk = sum(k for _, k in samples) / n
    var = sum((t - mt) ** 2 for t, _ in samples)
    if var == 0:
        return 0.0
    return 60 * sum((t - mt) * (k - mk) for t, k in samples) / var


def wait_for(path, pattern, timeout, proc=None):
    """Wait until a line of the file matches; return the match."""
    rx = re.compile(pattern)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(path, errors="replace") as f:
                for line in f:
                    m = rx.search(line)
                    if m:
                        return m
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.1)
    return None


def summary(text, what):
    """The counters of the daemon's summary line as a dict."""
    m = None
    for m in re.finditer(r"flowidd: %s: (packets .*)$" % re.escape(what),
                         text, re.M):
        pass
    if m is None:
        return None
    kv = dict(re.findall(r"(\w+)=(\d+)", m.group(1)))
    return {k: int(v) for k, v in kv.items()}


END_REASONS = ("fin", "rst", "idle", "active", "eof", "shutdown", "evict")


def check_summary(s):
    """read = decoded + skipped and created = ended, or what breaks."""
    bad = []
    skips = ("link", "ip", "transport", "encap", "non_ip", "linktype",
             "fragment", "profile", "nomem")
    if s["read"] != s["decoded"] + sum(s[k] for k in skips):
        bad.append("read %d != decoded %d + skipped %d" %
                   (s["read"], s["decoded"], sum(s[k] for k in skips)))
    if s["skipped"] != sum(s[k] for k in skips):
        bad.append("skipped %d != sum of reasons" % s["skipped"])
    if s["created"] != sum(s[k] for k in END_REASONS) + s["open"]:
        bad.append("created %d != ended %d + open %d" %
                   (s["created"], sum(s[k] for k in END_REASONS),
                    s["open"]))
    return bad


def tally_records(path):
    """Records of a stdout file: count per end reason, how many flow
    keys (5-tuple and start) came out more than once, and the packets
    they hold."""
    ends = dict.fromkeys(END_REASONS, 0)
    seen = set()
    dup = pkts = 0
    rx = re.compile(r" (proto=\S+ src=\S+ sport=\S+ dst=\S+ dport=\S+ "
                    r"start=\S+) .*fwd_pkts=(\d+) bwd_pkts=(\d+) .* "
                    r"end=(\w+)$")
    with open(path, errors="replace") as f:
        for line in f:
            m = rx.search(line)
            if not m:
                continue
            ends[m.group(4)] = ends.get(m.group(4), 0) + 1
            pkts += int(m.group(2)) + int(m.group(3))
            h = hash(m.group(1))
            if h in seen:
                dup += 1
            seen.add(h)
    return ends, dup, pkts


def tcpreplay_sent(text):
    """Packets tcpreplay says it sent, and how many it failed to."""
    sent = re.findall(r"Actual: (\d+) packets", text)
    failed = re.findall(r"Failed packets:\s+(\d+)", text)
    return (sum(int(x) for x in sent), sum(int(x) for x in failed))
