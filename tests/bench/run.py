#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""make bench, offline part: run the floor loops, ndpiReader and flowidd
(statistics only, with classification, with CSV export) on the
benchmark captures, each several times pinned to one core, plus the
classification microbenchmark; print the table and write it, with the
machine and the date, between the markers of BENCHMARKS.md.

Usage: run.py --bin DIR --flowidd FILE --data DIR
              --model FILE|none [--json FILE|none]
              [--reps N] [--md FILE] [--live FILE] [--train FILE]"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import time

CPU = "1"			# the core flowidd and every rival run on
RUN_TIMEOUT = 300		# seconds; a run past it is killed
TOOL_BUDGET = 120		# seconds of repeats per tool and capture
BEGIN = "<!-- bench:begin (make bench rewrites this part) -->"
END = "<!-- bench:end -->"


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run_pinned(argv, stdout_path=None, timeout=RUN_TIMEOUT):
    """Run argv pinned to CPU under GNU time: wall time, CPU time and
    peak RSS (KiB) of the program itself, its stderr; the whole process
    group is killed past timeout.  (wait4 on our own child would report
    the RSS the child had before exec, as a copy of this interpreter.)"""
    tfile = os.path.join(ARGS.data, ".time")
    efile = os.path.join(ARGS.data, ".stderr")
    with open(stdout_path or os.devnull, "wb") as out, \
            open(efile, "wb") as errf:
        t0 = time.perf_counter()
        p = subprocess.Popen(["taskset", "-c", CPU, "/usr/bin/time", "-o",
                              tfile, "-f", "rusage %e %U %S %M"] + argv,
                             stdout=out, stderr=errf,
                             start_new_session=True)
        killed = False
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            killed = True
        wall = time.perf_counter() - t0
    with open(efile, "rb") as f:
        err = f.read().decode(errors="replace")
    r = {"wall": wall, "rc": p.returncode, "killed": killed, "err": err,
         "rss_kib": 0, "cpu": wall}
    if not killed:
        with open(tfile) as f:
            m = re.search(r"rusage ([\d.]+) ([\d.]+) ([\d.]+) (\d+)",
                          f.read())
        if m:
            r["cpu"] = float(m.group(2)) + float(m.group(3))
            r["rss_kib"] = int(m.group(4))
    return r


def parse_kv(text, prefix):
    """key=value pairs of the last line starting with prefix."""
    kv = {}
    for line in text.splitlines():
        if line.startswith(prefix):
            kv = dict(re.findall(r"(\w+)=([-\w.]+)", line))
    return kv


def flowidd_counts(r):
    m = re.search(r"packets read=(\d+) decoded=(\d+).*flows created=(\d+)",
                  r["err"])
    if not m:
        return None
    return {"pkts": int(m.group(1)), "flows": int(m.group(3))}


def ndpi_counts(r):
    m = re.search(r"IP packets:\s+(\d+)\s+of (\d+) packets total", r["out"])
    f = re.search(r"Unique flows:\s+(\d+)", r["out"])
    if not m or not f:
        return None
    return {"pkts": int(m.group(2)), "flows": int(f.group(1))}


def floor_counts(r):
    kv = parse_kv(r["out"], "floor:")
    if "packets" not in kv:
        return None
    return {"pkts": int(kv["packets"]), "flows": int(kv["flows"]) or None,
            "bytes": int(kv["bytes"])}


def tools(model):
    b, fl = ARGS.bin, [ARGS.flowidd, "-c", "/dev/null"]
    floor = os.path.join(b, "bench-floor")
    t = [("floor-read", [floor, "read"], floor_counts),
         ("floor-hash", [floor, "hash"], floor_counts),
         ("ndpiReader", ["ndpiReader", "-i"], ndpi_counts),
         ("flowidd-stats", fl + ["--no-model", "-o", "stdout", "-r"],
          flowidd_counts)]
    if model != "none":
        t.append(("flowidd-classify", fl + ["-m", model, "-o", "stdout",
                                            "-r"], flowidd_counts))
    t.append(("flowidd-csv", fl + ["--no-model", "-o", "csv:/dev/null",
                                   "-r"], flowidd_counts))
    return t


def measure(capture, toolset, reps, timeout=RUN_TIMEOUT):
    """Interleave the tools rep by rep, so load drifts hit them alike."""
    res = {name: [] for name, _, _ in toolset}
    spent = {name: 0.0 for name, _, _ in toolset}
    for rep in range(reps):
        for name, argv, count in toolset:
            if rep > 0 and (spent[name] > TOOL_BUDGET or
                            any(r["killed"] for r in res[name])):
                continue
            outp = os.path.join(ARGS.data, ".stdout")
            keep = name.startswith("floor") or name == "ndpiReader"
            r = run_pinned(argv + [capture], outp if keep else None,
                         timeout)
            r["out"] = open(outp).read() if keep else ""
            r["counts"] = None if r["killed"] else count(r)
            r["load"] = load()
            spent[name] += r["wall"]
            res[name].append(r)
            status = "killed" if r["killed"] else "rc=%d" % r["rc"]
            print("  %-17s %-16s %7.2f s  %7.1f MiB  %s  load %.2f" % (
                name, os.path.basename(capture), r["wall"],
                r["rss_kib"] / 1024, status, r["load"]), flush=True)
            if r["counts"] is None and not r["killed"]:
                print("    no counts in the output:\n" +
                      (r["err"] + r["out"])[-600:], flush=True)
    return res


def summarize(runs, pkts, wire_bytes):
    """Rates per CPU second (user + sys, median of the runs): on a
    shared machine wall time also counts the waits for the core."""
    ok = [r for r in runs if not r["killed"] and r["counts"]]
    if not ok:
        worst = max(r["wall"] for r in runs)
        return {"n": 0, "timeout": worst}
    walls = sorted(r["wall"] for r in ok)
    cpu = statistics.median(r["cpu"] for r in ok)
    c = ok[0]["counts"]
    s = {"n": len(ok), "wall_min": walls[0],
         "wall_med": statistics.median(walls), "cpu_med": cpu,
         "pps": pkts / cpu, "pps_wall_best": pkts / walls[0],
         "gbps": wire_bytes * 8 / cpu / 1e9,
         "rss_mib": max(r["rss_kib"] for r in ok) / 1024,
         "pkts_seen": c["pkts"], "flows": c.get("flows"),
         "load_max": max(r["load"] for r in ok)}
    if s["flows"]:
        s["fps"] = s["flows"] / cpu
    s["complete"] = c["pkts"] == pkts
    return s


def fmt_rate(v):
    if v is None:
        return "-"
    if v >= 1e6:
        return "%.2f M" % (v / 1e6)
    if v >= 1e3:
        return "%.1f k" % (v / 1e3)
    return "%.0f" % v


def ratio(s, ref, tool):
    if not tool.startswith("flowidd") or not ref or not ref["n"]:
        return ""
    return "%.2f" % (s["pps"] / ref["pps"])


def table_rows(name, summ, floor, ndpi):
    rows = []
    for tool, s in summ.items():
        if s["n"] == 0:
            rows.append("| %s | %s | 0 | killed after %.0f s | | | | | | "
                        "| | |" % (name, tool, s["timeout"]))
            continue
        rows.append(
            "| %s | %s | %d | %.2f / %.2f | %.2f | %s | %s | %.2f | %s | "
            "%.0f | %s | %s |"
            % (name, tool, s["n"], s["wall_min"], s["wall_med"],
               s["cpu_med"], fmt_rate(s["pps"]),
               fmt_rate(s["pps_wall_best"]), s["gbps"],
               fmt_rate(s.get("fps")), s["rss_mib"],
               ratio(s, floor, tool), ratio(s, ndpi, tool)))
        if not s["complete"]:
            rows[-1] += " (saw %d packets)" % s["pkts_seen"]
    return rows


def machine():
    info = {}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True,
                               text=True).stdout
        m = re.search(r"Model name:\s+(.*)", lscpu)
        info["cpu"] = m.group(1).strip() if m else platform.processor()
        h = re.search(r"Hypervisor vendor:\s+(.*)", lscpu)
        if h:
            info["cpu"] += " (%s guest)" % h.group(1).strip()
    except OSError:
        info["cpu"] = platform.processor()
    info["cores"] = os.cpu_count()
    with open("/proc/meminfo") as f:
        info["mem_gib"] = int(f.readline().split()[1]) / 2**20
    info["kernel"] = platform.release()
    try:
        with open("/etc/debian_version") as f:
            info["debian"] = f.read().strip()
    except OSError:
        info["debian"] = "?"
    g = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True)
    d = subprocess.run(["git", "status", "--porcelain", "--", "lib",
                        "daemon"], capture_output=True, text=True)
    info["commit"] = (g.stdout.strip() or "?") + \
        (" + uncommitted lib/daemon changes" if d.stdout.strip() else "")
    info["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return info


def model_trees(path):
    with open(path) as f:
        for line in f:
            if line.startswith("trees "):
                return int(line.split()[1])
    return 0


def classify_bench(model, js, features):
    argv = [os.path.join(ARGS.bin, "bench-classify"), model,
            js if js != "none" and os.path.exists(js) else "-", features,
            "30"]
    r = run_pinned(argv, os.path.join(ARGS.data, ".stdout"), timeout=600)
    out = open(os.path.join(ARGS.data, ".stdout")).read()
    kv = {}
    for line in out.splitlines():
        if line.startswith("classify:"):
            kv.update(dict(re.findall(r"(\w+)=([-\w.+]+)", line)))
    if r["rc"] != 0:
        print("bench-classify failed:\n" + r["err"][-600:])
    return kv


def scale_section(res):
    """Cost per packet at 1k, 100k, 1M active flows: all of it (the
    longer capture) and the packets alone (difference of the two)."""
    lines = ["| active flows | flowidd ns/packet, all | flowidd ns/packet, "
             "packets alone | floor-hash ns/packet, all | floor-hash, "
             "packets alone | flowidd peak RSS MiB |",
             "|---|---|---|---|---|---|"]
    for n in sorted(res):
        full, half = res[n]["full"], res[n]["half"]
        cells = []
        for tool in ("flowidd-stats", "floor-hash"):
            f, h = full[tool], half[tool]
            if f["n"] == 0 or h["n"] == 0:
                cells += ["killed", ""]
                continue
            dp = full["pkts"] - half["pkts"]
            cells += ["%.0f" % (f["cpu_med"] / full["pkts"] * 1e9),
                      "%.0f" % ((f["cpu_med"] - h["cpu_med"]) / dp * 1e9)]
        rss = full["flowidd-stats"].get("rss_mib", 0)
        lines.append("| %s | %s | %.0f |" % ("{:,}".format(n),
                                             " | ".join(cells), rss))
    return lines


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--data")
    ap.add_argument("--flowidd")
    ap.add_argument("--model", default="none")
    ap.add_argument("--json", default="none")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--md", default="BENCHMARKS.md")
    ap.add_argument("--live", default=None)
    ap.add_argument("--train", default=None)
    ap.add_argument("--skip", default="", help="comma list: a,b,scale,cls")
    ap.add_argument("--report", default=None,
                    help="render a saved results.json, measure nothing")
    ARGS = ap.parse_args()
    if ARGS.report:
        rerender(ARGS.report)
        return
    if not (ARGS.bin and ARGS.flowidd and ARGS.data):
        ap.error("--bin, --flowidd and --data are needed to measure")
    for prog in ("/usr/bin/time", "taskset", "ndpiReader"):
        if shutil.which(prog) is None:
            raise SystemExit("bench: %s is missing (Debian packages: time, "
                             "util-linux, libndpi-bin)" % prog)
    skip = set(ARGS.skip.split(","))

    # the tree is shared: a rebuild by someone else must not change the
    # program under test halfway through the runs
    frozen = os.path.join(ARGS.data, "flowidd-under-test")
    shutil.copy2(ARGS.flowidd, frozen)
    ARGS.flowidd = frozen
    info = machine()
    info["load_start"] = load()
    print("bench: %s, %d cores, load %.2f" % (info["cpu"], info["cores"],
                                             info["load_start"]))
    d = ARGS.data
    caps = {"a": os.path.join(d, "mix.pcap"),
            "b": os.path.join(d, "short.pcap")}
    results, facts = {}, {}
    for key in ("a", "b"):
        if key in skip:
            continue
        fr = run_pinned([os.path.join(ARGS.bin, "bench-floor"), "read",
                       caps[key]], os.path.join(d, ".stdout"))
        fr["out"] = open(os.path.join(d, ".stdout")).read()
        c = floor_counts(fr)
        facts[key] = c
        print("capture (%s): %d packets, %.0f MB on the wire" % (
            key, c["pkts"], c["bytes"] / 1e6), flush=True)
        ts = tools(ARGS.model)
        # (b) is 2 M flows: a slow program there is stopped sooner
        raw = measure(caps[key], ts, ARGS.reps,
                      RUN_TIMEOUT if key == "a" else 200)
        results[key] = {t: summarize(raw[t], c["pkts"], c["bytes"])
                        for t, _, _ in ts}

    scale = {}
    if "scale" not in skip:
        for n, tag in ((1000, "1k"), (100000, "100k"), (1000000, "1m")):
            scale[n] = {}
            for part in ("", "-half"):
                path = os.path.join(d, "active-%s%s.pcap" % (tag, part))
                fr = run_pinned([os.path.join(ARGS.bin, "bench-floor"),
                               "read", path], os.path.join(d, ".stdout"))
                fr["out"] = open(os.path.join(d, ".stdout")).read()
                c = floor_counts(fr)
                ts = [t for t in tools("none")
                      if t[0] in ("floor-hash", "flowidd-stats")]
                raw = measure(path, ts, max(3, ARGS.reps - 2))
                key = "half" if part else "full"
                scale[n][key] = {t: summarize(raw[t], c["pkts"], c["bytes"])
                                 for t, _, _ in ts}
                scale[n][key]["pkts"] = c["pkts"]

    cls = {}
    if "cls" not in skip and ARGS.model != "none":
        # export.sh wrote it: every corpus flow, the model's profile
        feats = os.path.join(d, "corpus-features.csv")
        cls = classify_bench(ARGS.model, ARGS.json, feats)
        cls["trees"] = model_trees(ARGS.model)
        print("classification: %s" % cls, flush=True)

    info["load_end"] = load()
    # saved first: --report re-renders it without measuring again
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump({"machine": info, "facts": facts, "results": results,
                   "scale": {str(k): v for k, v in scale.items()},
                   "classify": cls}, f, indent=1, default=str)
    render(info, facts, results, scale, cls)


def render(info, facts, results, scale, cls):
    md = report(info, facts, results, scale, cls)
    print("\n".join(md))
    splice(ARGS.md, md)


def rerender(path):
    with open(path) as f:
        j = json.load(f)
    render(j["machine"], j["facts"], j["results"],
           {int(k): v for k, v in j["scale"].items()}, j["classify"])


def verdict(value, goal, more_is_better=True, unit=""):
    if value is None:
        return "not measured"
    ok = value >= goal if more_is_better else value <= goal
    if ok:
        return "**met** (%s%s)" % (fmt_num(value), unit)
    return "**missed**: %s%s, %.1f%% of the goal" % (
        fmt_num(value), unit,
        100 * (value / goal if more_is_better else goal / value))


def fmt_num(v):
    return "%.2f" % v if v < 10 else fmt_rate(v)


def targets(results, scale, cls):
    """The issue's targets, each with the figure that decides it."""
    a = results.get("a", {})
    b = results.get("b", {})
    full = a.get("flowidd-classify") or a.get("flowidd-stats") or {}

    def rate(s, key="pps"):
        return s.get(key) if s and s.get("n") else None

    def div(x, y):
        return x / y if x is not None and y else None

    lines = ["| target | result |", "|---|---|"]
    lines.append("| (a) full pipeline >= 0.5 x floor-hash packets/s | %s |"
                 % verdict(div(rate(full), rate(a.get("floor-hash"))), 0.5,
                           unit=" x"))
    lines.append("| (a) full pipeline >= 5 x ndpiReader packets/s | %s |"
                 % verdict(div(rate(full), rate(a.get("ndpiReader"))), 5,
                           unit=" x"))
    bfull = b.get("flowidd-classify") or {}
    if bfull and not bfull.get("n") and rate(b.get("flowidd-stats")):
        ub = b["flowidd-stats"]["flows"] / bfull["timeout"]
        bres = "**missed**: killed after %.0f s, so under %s flows/s" % (
            bfull["timeout"], fmt_rate(ub))
    else:
        bres = verdict(rate(bfull, "fps"), 1e6, unit=" flows/s")
    lines.append("| (b) >= 1 M flows/s created, classified, emitted | %s |"
                 % bres)
    s1k = scale.get(1000, {}).get("full", {}).get("flowidd-stats")
    s1m = scale.get(1000000, {}).get("full", {}).get("flowidd-stats")
    per = None
    if s1k and s1m and s1k.get("n") and s1m.get("n"):
        per = (s1m["rss_mib"] - s1k["rss_mib"]) * 2**20 / \
            (s1m["flows"] - s1k["flows"])
    lines.append("| <= 512 bytes per active flow at 1 M flows | %s |"
                 % verdict(per, 512, False, " B"))
    c = float(cls["c_rows_s_median"]) if "c_rows_s_median" in cls else None
    lines.append("| classification alone >= 200,000 flows/s (lib/model.c) "
                 "| %s |" % verdict(c, 2e5, unit=" rows/s"))
    if 1000 in scale and 1000000 in scale:
        def alone(n):
            f = scale[n]["full"]["flowidd-stats"]
            h = scale[n]["half"]["flowidd-stats"]
            if not f.get("n") or not h.get("n"):
                return None
            return (f["cpu_med"] - h["cpu_med"]) / \
                (scale[n]["full"]["pkts"] - scale[n]["half"]["pkts"])
        x, y = alone(1000), alone(1000000)
        if x and y:
            lines.append("| cost per packet nearly flat, 1k to 1M flows | "
                         "packets alone cost %.2f x as much at 1 M as at "
                         "1 k |" % (y / x))
    return lines


def report(info, facts, results, scale, cls):
    md = ["## Results of the last `make bench`", "",
          "Machine: %s, %d cores, %.0f GiB RAM, Linux %s, Debian %s; "
          "flowidd %s; %s.  Load average (1 min) %.2f at the start, "
          "%.2f at the end; every program pinned to core %s "
          "(`taskset -c %s`)." % (
              info["cpu"], info["cores"], info["mem_gib"], info["kernel"],
              info["debian"], info["commit"], info["date"],
              info["load_start"], info["load_end"], CPU, CPU), ""]
    names = {"a": "(a) mix", "b": "(b) short"}
    if results:
        md += ["Each program ran n times, interleaved.  Rates are per "
               "CPU second (user + sys, median of the runs), because the "
               "machine is shared and wall time also counts waiting for "
               "the core; \"wall best\" is packets over the fastest "
               "wall time.  Flows are each program's own count (flowidd: "
               "created, ndpiReader: unique flows, floor-hash: "
               "5-tuples).  Ratios divide flowidd's packets/s by "
               "floor-hash's and ndpiReader's on the same capture.", ""]
        for k, c in facts.items():
            md.append("- capture %s: %s packets, %.0f MB on the wire" % (
                names[k], "{:,}".format(c["pkts"]), c["bytes"] / 1e6))
        md += ["", "| capture | program | n | wall s min / med | CPU s | "
               "packets/s | wall best | Gbit/s | flows/s | peak RSS MiB "
               "| / floor-hash | / ndpiReader |",
               "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for k, summ in results.items():
            md += table_rows(names[k], summ, summ.get("floor-hash"),
                             summ.get("ndpiReader"))
        md.append("")
    if scale:
        any_n = next(iter(scale.values()))
        md += ["Cost per packet against active flows: synthetic TCP flows "
               "taking turns, %s packets, and %s for \"packets alone\" "
               "(the difference of the two runs leaves out creating and "
               "ending the flows); statistics only, CPU time, median:" % (
                   "{:,}".format(any_n["full"]["pkts"]),
                   "{:,}".format(any_n["half"]["pkts"])), ""]
        md += scale_section(scale)
        s1k = scale.get(1000, {}).get("full", {}).get("flowidd-stats")
        s1m = scale.get(1000000, {}).get("full", {}).get("flowidd-stats")
        if s1k and s1m and s1k["n"] and s1m["n"]:
            per = (s1m["rss_mib"] - s1k["rss_mib"]) * 2**20 / \
                (s1m["flows"] - s1k["flows"])
            md += ["", "Resident memory per active flow (peak RSS with "
                   "%s flows open at the end minus with %s, over the "
                   "difference; table included): **%.0f bytes**." % (
                       "{:,}".format(s1m["flows"]),
                       "{:,}".format(s1k["flows"]), per)]
        md.append("")
    if cls:
        md += ["Classification alone (`bench-classify`, the corpus's "
               "%s exported rows, %s features, %s classes, %s trees; "
               "one core): lib/model.c %s rows/s median (min %s), "
               "libxgboost's predictor %s rows/s median (min %s); "
               "against libxgboost: %s class mismatches, %s rows whose "
               "probability differs in any bit, max |dp| %s." % (
                   cls.get("rows"), cls.get("features"), cls.get("classes"),
                   cls.get("trees"),
                   fmt_rate(float(cls.get("c_rows_s_median", 0))),
                   fmt_rate(float(cls.get("c_rows_s_min", 0))),
                   fmt_rate(float(cls.get("xgb_rows_s_median", 0))),
                   fmt_rate(float(cls.get("xgb_rows_s_min", 0))),
                   cls.get("class_mismatch", "?"),
                   cls.get("prob_bits_differ", "?"),
                   cls.get("max_abs_dprob", "?")), ""]
    md += ["### Targets", ""] + targets(results, scale, cls) + [""]
    for title, path in (("Live path", ARGS.live),
                        ("Training (bench-train)", ARGS.train)):
        if not path:
            continue
        md += ["### " + title, ""]
        if not os.path.exists(path):
            md += ["(not run)", ""]
            continue
        with open(path) as f:
            text = f.read().rstrip()
        # the trainer's log is plain text; the live part is Markdown
        md += (["```", text, "```"] if path.endswith(".txt") else
               [text]) + [""]
    return md


def splice(path, md):
    text = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    block = BEGIN + "\n" + "\n".join(md) + "\n" + END
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + \
            text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)
    print("bench: wrote %s" % path)


if __name__ == "__main__":
    main()
