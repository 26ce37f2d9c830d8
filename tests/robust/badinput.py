#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Bad files and bad settings, one case each.

Every case gives flowidd one damaged capture, model or configuration
and checks three things: the exit status; that stderr holds exactly one
line other than the counters' summary, that it names the file and says
what is wrong (a regular expression over the whole line); and which
flow records came out before the error.  A capture damaged in the middle
must still give every flow read up to the damage.  With a sanitizer
build, any report shows up as an extra stderr line and fails the case.

Usage: badinput.py FLOWIDD [-k NAME] [-v]"""

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
DEMO = os.path.join(TOP, "tests", "data", "demo.pcap")
LSAN_SUPP = os.path.join(HERE, "lsan.supp")
SUMMARY = re.compile(r"flowidd: end of input: packets read=\d+ .*")

# A model the flowidd profile accepts: three features it computes, three
# classes, six small trees (the format is in lib/model.c).
MODEL = """flowid-model 1
profile flowidd
features 3
feature Flow.Duration
feature Total.Fwd.Packets
feature Flow.Bytes.s
classes 3
class DNS
class HTTP
class TLS
summary rows 120
base_score 0.5
trees 3
tree 0 3
n 0 1000 1 2 1 0
n -1 0 -1 -1 0 0.42
n -1 0 -1 -1 0 -0.21
tree 1 3
n 1 2.5 1 2 0 0
n -1 0 -1 -1 0 -0.3
n -1 0 -1 -1 0 0.61
tree 2 1
n -1 0 -1 -1 0 0.01
end
"""

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


class Fail(Exception):
    pass


def pcap_records(data):
    """The header and the (offset, length) of each record of a pcap."""
    end = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") \
        else ">"
    recs, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        recs.append((off, 16 + incl))
        off += 16 + incl
    return data[:24], end, recs


def pcapng_block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcap_to_pcapng(data, extra):
    """The same packets as pcapng, with extra(i) blocks before packet i."""
    head, end, recs = pcap_records(data)
    snap, dlt = struct.unpack(end + "II", head[16:24])
    out = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0,
                                                -1))
    out += pcapng_block(1, struct.pack("<HHI", dlt & 0xffff, 0, snap))
    for i, (off, n) in enumerate(recs):
        sec, usec, incl, orig = struct.unpack(end + "IIII",
                                              data[off:off + 16])
        ts = sec * 1000000 + usec
        out += extra(i)
        out += pcapng_block(6, struct.pack("<IIIII", 0, ts >> 32,
                                           ts & 0xffffffff, incl, orig) +
                            data[off + 16:off + n])
    return out


class Test:
    """One case's scratch directory and its runs of flowidd."""

    def __init__(self, flowidd, tmp, verbose):
        self.flowidd = flowidd
        self.tmp = tmp
        self.verbose = verbose

    def path(self, name):
        return os.path.join(self.tmp, name)

    def file(self, name, data, mode=0o644):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        os.chmod(p, mode)
        return p

    def run(self, *args, wrap=(), stdin=None):
        env = dict(os.environ,
                   ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
                   LSAN_OPTIONS="suppressions=" + LSAN_SUPP,
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
        r = subprocess.run(list(wrap) + [self.flowidd] + list(args),
                           capture_output=True, env=env, cwd=self.tmp,
                           text=True, errors="replace", stdin=stdin)
        if self.verbose:
            sys.stdout.write("    $ flowidd %s -> %d\n" %
                             (" ".join(args), r.returncode))
            for line in r.stderr.splitlines():
                sys.stdout.write("    | %s\n" % line)
        return r

    def expect(self, r, status, line, summary=False):
        """Exit status, and one error line matching the pattern."""
        if r.returncode != status:
            raise Fail("exit status %d, expected %d" %
                       (r.returncode, status))
        lines = r.stderr.splitlines()
        other = [x for x in lines if not SUMMARY.fullmatch(x)]
        if summary != (len(other) != len(lines)):
            raise Fail("summary line %s" %
                       ("missing" if summary else "unexpected"))
        if line is None:
            if other:
                raise Fail("unexpected stderr: %r" % other)
            return
        if len(other) != 1:
            raise Fail("%d stderr lines, expected one: %r" %
                       (len(other), other))
        if not re.fullmatch("flowidd: " + line, other[0]):
            raise Fail("stderr %r does not match %r" % (other[0], line))

    def records(self, r):
        return [x for x in r.stdout.splitlines() if x.startswith("app=")]


def demo():
    with open(DEMO, "rb") as f:
        return f.read()


def no_records(t, r):
    if t.records(r):
        raise Fail("%d records, expected none" % len(t.records(r)))


def same_records(t, got, want):
    """The damaged file gave exactly the flows of its intact prefix."""
    a, b = sorted(t.records(got)), sorted(t.records(want))
    if not b:
        raise Fail("the intact prefix gives no flow: bad test")
    if a != b:
        raise Fail("%d records, the intact prefix gives %d; first "
                   "difference: %r" % (len(a), len(b),
                                       (set(a) ^ set(b)).pop()))


def read_capture(t, p, *more):
    return t.run("-c", "/dev/null", "--no-model", "-r", p, *more)


# --- captures -----------------------------------------------------------

def pcap_variant(data, swap=False, nsec=False, edit=None):
    """demo.pcap rewritten: other byte order, nanosecond times, and
    edit(i, [sec, frac, incl, orig], payload) -> (fields, payload)
    applied to each record."""
    head, end, recs = pcap_records(data)
    out_end = {"<": ">", ">": "<"}[end] if swap else end
    magic = 0xA1B23C4D if nsec else 0xA1B2C3D4
    h = list(struct.unpack(end + "IHHiIII", head))
    out = struct.pack(out_end + "IHHiIII", magic, *h[1:])
    for i, (off, n) in enumerate(recs):
        f = list(struct.unpack(end + "IIII", data[off:off + 16]))
        pay = data[off + 16:off + n]
        if nsec:
            f[1] = f[1] * 1000 + 999
        if edit:
            f, pay = edit(i, f, pay)
        out += struct.pack(out_end + "IIII", *f) + pay
    return out


def mapped_same_as_stdin(t, name, data, *more):
    """A regular file is mapped and read in place; stdin goes through
    libpcap alone.  Every record, the summary, the error and the exit
    status must be the same, the file's name aside."""
    p = t.file(name, data)
    a = read_capture(t, p, *more)
    with open(p, "rb") as f:
        b = t.run("-c", "/dev/null", "--no-model", "-r", "-", *more,
                  stdin=f)
    b_err = b.stderr.replace("flowidd: -: ", "flowidd: %s: " % p)
    if (a.returncode, a.stdout, a.stderr) != (b.returncode, b.stdout,
                                              b_err):
        raise Fail("%s: mapped and stdin differ: exit %d/%d, stderr "
                   "%r / %r, %d / %d stdout bytes" %
                   (name, a.returncode, b.returncode, a.stderr, b_err,
                    len(a.stdout), len(b.stdout)))
    if not t.records(a):
        raise Fail("%s: no records at all" % name)


@case
def capture_mapped_orders_and_units(t):
    data = demo()
    for swap in (False, True):
        for nsec in (False, True):
            mapped_same_as_stdin(t, "v%d%d.pcap" % (swap, nsec),
                                 pcap_variant(data, swap, nsec))
    mapped_same_as_stdin(t, "filtered.pcap", data, "-F", "tcp port 80")


@case
def capture_mapped_hands_over(t):
    """Records that are not plain go to libpcap from there on: cut
    short, longer than the snapshot length, times libpcap reads as
    negative; then the records after them too."""
    data = demo()
    k = len(pcap_records(data)[2]) // 2

    def big(i, f, pay):
        if i == k:
            f[2] = f[3] = 70000     # above the header's 65535
            pay = pay + b"\0" * (70000 - len(pay))
        return f, pay

    def late(i, f, pay):
        if i >= k:
            f[0] += 0x80000000
        return f, pay

    def frac(i, f, pay):
        if i == k:
            f[1] = 0x80000005
        return f, pay

    mapped_same_as_stdin(t, "big.pcap", pcap_variant(data, edit=big))
    mapped_same_as_stdin(t, "late.pcap", pcap_variant(data, edit=late))
    mapped_same_as_stdin(t, "frac.pcap", pcap_variant(data, edit=frac))
    def lengths(i, f, pay):
        if i % 2 and len(pay) > 60:
            pay = pay[:60]          # captured 60 of them
            f[2] = 60
        f[2], f[3] = f[3], f[2]     # the pre-2.4 order: wire, captured
        return f, pay

    old = bytearray(pcap_variant(data, edit=lengths))
    old[6:8] = struct.pack("<H", 2)  # version 2.2: libpcap swaps back
    mapped_same_as_stdin(t, "v22.pcap", bytes(old))
    # a header snaplen above libpcap's 262144 does not let longer
    # records through: libpcap refuses them
    def huge(i, f, pay):
        if i == k:
            f[2] = f[3] = 262145
            pay = pay + b"\0" * (262145 - len(pay))
        return f, pay

    wide = bytearray(pcap_variant(data, edit=huge))
    wide[16:20] = struct.pack("<I", 0x7fffffff)
    mapped_same_as_stdin(t, "snap.pcap", bytes(wide))
    mapped_same_as_stdin(t, "cut.pcap", data[:len(data) * 2 // 3])
    mapped_same_as_stdin(t, "cutswap.pcap",
                         pcap_variant(data, swap=True)[:len(data) // 2])

@case
def capture_empty(t):
    p = t.file("empty.pcap", b"")
    r = read_capture(t, p)
    t.expect(r, 1, re.escape(p) + r": truncated dump file; tried to read "
             r"4 file header bytes, only got 0")
    no_records(t, r)


@case
def capture_wrong_magic(t):
    p = t.file("magic.pcap", b"GIF89a" + demo()[6:])
    r = read_capture(t, p)
    t.expect(r, 1, re.escape(p) + r": unknown file format")
    no_records(t, r)


@case
def capture_header_only(t):
    p = t.file("header.pcap", demo()[:24])
    r = read_capture(t, p)
    t.expect(r, 0, None, summary=True)
    no_records(t, r)


@case
def capture_truncated_record(t):
    data = demo()
    head, _, recs = pcap_records(data)
    k = len(recs) // 2
    off, n = recs[k]
    cut = t.file("cut.pcap", data[:off + 16 + (n - 16) // 2])
    whole = t.file("whole.pcap", data[:off])
    r = read_capture(t, cut)
    t.expect(r, 1, re.escape(cut) + r": truncated dump file; tried to "
             r"read \d+ captured bytes, only got \d+", summary=True)
    same_records(t, r, read_capture(t, whole))


@case
def capture_truncated_record_header(t):
    data = demo()
    _, _, recs = pcap_records(data)
    off, _ = recs[len(recs) // 3]
    cut = t.file("cuthdr.pcap", data[:off + 9])
    whole = t.file("whole.pcap", data[:off])
    r = read_capture(t, cut)
    t.expect(r, 1, re.escape(cut) + r": truncated dump file; tried to "
             r"read 16 header bytes, only got 9", summary=True)
    same_records(t, r, read_capture(t, whole))


@case
def capture_corrupt_length(t):
    data = bytearray(demo())
    head, end, recs = pcap_records(bytes(data))
    off, _ = recs[len(recs) // 2]
    data[off + 8:off + 12] = struct.pack(end + "I", 0x7fffff00)
    bad = t.file("corrupt.pcap", bytes(data))
    whole = t.file("whole.pcap", bytes(data[:off]))
    r = read_capture(t, bad)
    t.expect(r, 1, re.escape(bad) + r": invalid packet capture length "
             r"2147483392, bigger than .*", summary=True)
    same_records(t, r, read_capture(t, whole))


@case
def capture_pcapng_unknown_blocks(t):
    def extra(i):
        if i % 5 == 0:      # a block type no one has defined
            return pcapng_block(0x0BAD0000 + i, b"hostile " * (i % 7))
        if i % 5 == 2:      # a custom block, private enterprise number
            return pcapng_block(0x00000BAD, struct.pack("<I", 32473) +
                                b"x" * i)
        return b""
    ng = t.file("unknown.pcapng", pcap_to_pcapng(demo(), extra))
    ref = t.file("ref.pcap", demo())
    r = read_capture(t, ng)
    t.expect(r, 0, None, summary=True)
    same_records(t, r, read_capture(t, ref))


@case
def capture_pcapng_truncated_block(t):
    ng = pcap_to_pcapng(demo(), lambda i: b"")
    p = t.file("cut.pcapng", ng[:len(ng) * 2 // 3])
    r = read_capture(t, p)
    t.expect(r, 1, re.escape(p) + r": truncated pcapng dump file; tried "
             r"to read \d+ bytes, only got \d+", summary=True)
    if not t.records(r):
        raise Fail("no record before the damage")


@case
def capture_directory(t):
    p = t.path("dir.pcap")
    os.mkdir(p)
    r = read_capture(t, p)
    t.expect(r, 1, re.escape(p) + r": error reading dump file: Is a "
             r"directory")
    no_records(t, r)


@case
def capture_no_permission(t):
    p = t.file("secret.pcap", demo(), mode=0)
    wrap = ()
    if os.geteuid() == 0:
        # root reads anything: take the override away for this run
        wrap = ("setpriv", "--inh-caps=-dac_override,-dac_read_search",
                "--bounding-set=-dac_override,-dac_read_search")
    r = t.run("-c", "/dev/null", "--no-model", "-r", p, wrap=wrap)
    # libpcap's text already names the file; the daemon names it again
    t.expect(r, 1, re.escape(p) + r": (%s: )?Permission denied" %
             re.escape(p))
    no_records(t, r)


@case
def capture_missing(t):
    p = t.path("nothere.pcap")
    r = read_capture(t, p)
    t.expect(r, 1, re.escape(p) + r": (%s: )?No such file or directory" %
             re.escape(p))
    no_records(t, r)


@case
def capture_second_file_bad(t):
    good = t.file("good.pcap", demo())
    bad = t.file("bad.pcap", b"\xd4\xc3\xb2\xa1\x02\x00")
    r = t.run("-c", "/dev/null", "--no-model", "-r", good, "-r", bad)
    t.expect(r, 1, re.escape(bad) + r": truncated dump file; tried to "
             r"read 24 file header bytes, only got \d+")
    no_records(t, r)


@case
def capture_unsupported_linktype(t):
    data = bytearray(demo())
    data[20:24] = struct.pack("<I", 147)    # LINKTYPE_USER0
    p = t.file("user0.pcap", bytes(data))
    r = read_capture(t, p)
    t.expect(r, 0, re.escape(p) + r": link type 147 is not supported, its "
             r"frames are counted as skipped", summary=True)
    m = re.search(r"linktype=(\d+)", r.stderr)
    if not m or int(m.group(1)) != len(pcap_records(bytes(data))[2]):
        raise Fail("not every frame counted as linktype")


# --- models -------------------------------------------------------------

def read_with_model(t, m):
    return t.run("-c", "/dev/null", "-m", m, "-r", DEMO)


@case
def model_valid(t):
    r = read_with_model(t, t.file("good.model", MODEL))
    t.expect(r, 0, None, summary=True)
    if not t.records(r):
        raise Fail("no records")


@case
def model_truncated(t):
    text = MODEL[:MODEL.index("tree 1 3") + 5]
    m = t.file("cut.model", text)
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r":%d: unexpected end of file "
             r"\(truncated\)" % (text.count("\n") + 1))
    no_records(t, r)


@case
def model_truncated_at_line(t):
    m = t.file("noend.model", MODEL[:MODEL.index("end\n")])
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r":\d+: unexpected end of file "
             r"\(truncated\)")
    no_records(t, r)


@case
def model_empty(t):
    m = t.file("empty.model", b"")
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r":0: unexpected end of file "
             r"\(truncated\)")
    no_records(t, r)


@case
def model_other_profile(t):
    m = t.file("cic.model", MODEL.replace("profile flowidd",
                                          "profile cicflowmeter"))
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r": model was trained on features "
             r"profile cicflowmeter, but the configured profile is flowidd")
    no_records(t, r)


@case
def model_one_class(t):
    text = MODEL.replace("classes 3\nclass DNS\nclass HTTP\nclass TLS\n",
                         "classes 1\nclass DNS\n")
    m = t.file("oneclass.model", text)
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r":7: classes: count not in "
             r"\[2, 1024\]")
    no_records(t, r)


@case
def model_missing_class(t):
    m = t.file("missing.model", MODEL.replace("class TLS\n", ""))
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r":10: expected 'class NAME' "
             r"\(3 of 3\)")
    no_records(t, r)


@case
def model_class_out_of_range(t):
    m = t.file("cls.model", MODEL.replace("tree 2 1", "tree 3 1"))
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r":\d+: tree 2: bad class index")
    no_records(t, r)


@case
def model_unknown_feature(t):
    m = t.file("feat.model", MODEL.replace("feature Flow.Bytes.s",
                                           "feature Payload.Entropy"))
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r": feature Payload.Entropy is not "
             r"computed by profile flowidd")
    no_records(t, r)


@case
def model_directory(t):
    m = t.path("models")
    os.mkdir(m)
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r":0: read error: Is a directory")
    no_records(t, r)


@case
def model_missing(t):
    m = t.path("nothere.model")
    r = read_with_model(t, m)
    t.expect(r, 1, re.escape(m) + r": No such file or directory")
    no_records(t, r)


# --- configuration ------------------------------------------------------

def read_with_conf(t, text):
    c = t.file("flowidd.conf", text)
    return c, t.run("-c", c, "--no-model", "-r", DEMO)


@case
def conf_wrong_type(t):
    c, r = read_with_conf(t, 'max_flows = "100000";\n')
    t.expect(r, 1, re.escape(c) + r":1: max_flows: expected a whole "
             r"number, found a string \(1 to 100000000 flows\)")
    no_records(t, r)


@case
def conf_wrong_type_in_group(t):
    c, r = read_with_conf(t, "outputs = {\n\tstdout = 1;\n};\n")
    t.expect(r, 1, re.escape(c) + r":2: outputs.stdout: expected a "
             r"boolean, found a whole number \(true or false\)")
    no_records(t, r)


@case
def conf_out_of_range(t):
    c, r = read_with_conf(t, "# a day at most\nidle_timeout = 100000;\n")
    t.expect(r, 1, re.escape(c) + r":2: idle_timeout: 100000 is out of "
             r"range \(0 to 86400 seconds, 0 for none\)")
    no_records(t, r)


@case
def conf_out_of_range_64bit(t):
    c, r = read_with_conf(t, "max_flows = 9223372036854775807L;\n")
    t.expect(r, 1, re.escape(c) + r":1: max_flows: 9223372036854775807 is "
             r"out of range \(1 to 100000000 flows\)")
    no_records(t, r)


@case
def conf_probability_out_of_range(t):
    c, r = read_with_conf(t, "min_confidence = 1.5;\n")
    t.expect(r, 1, re.escape(c) + r":1: min_confidence: 1.5 is out of "
             r"range \(0 to 1\)")
    no_records(t, r)


@case
def conf_unknown_key(t):
    c, r = read_with_conf(t, "max_flows = 10;\nmax_flow = 10;\n")
    t.expect(r, 1, re.escape(c) + r":2: max_flow: unknown setting "
             r"\(see flowidd.conf\(5\)\)")
    no_records(t, r)


@case
def conf_unknown_key_in_group(t):
    c, r = read_with_conf(t, "outputs = {\n\tjson = true;\n};\n")
    t.expect(r, 1, re.escape(c) + r":2: outputs.json: unknown setting "
             r"\(see flowidd.conf\(5\)\)")
    no_records(t, r)


@case
def conf_syntax_error(t):
    c, r = read_with_conf(t, "max_flows = ;\n")
    t.expect(r, 1, re.escape(c) + r":1: syntax error")
    no_records(t, r)


@case
def conf_missing(t):
    c = t.path("nothere.conf")
    r = t.run("-c", c, "--no-model", "-r", DEMO)
    t.expect(r, 1, re.escape(c) + r": No such file or directory")
    no_records(t, r)


@case
def option_out_of_range(t):
    r = t.run("-c", "/dev/null", "--no-model", "--max-flows", "0",
              "-r", DEMO)
    t.expect(r, 1, r'--max-flows: "0" is not a whole number from 1 to '
             r"100000000")
    no_records(t, r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("flowidd")
    ap.add_argument("-k", help="run the cases whose name contains this")
    ap.add_argument("-v", action="store_true", help="show each run")
    a = ap.parse_args()
    flowidd = os.path.abspath(a.flowidd)
    failed = 0
    n = 0
    for fn in CASES:
        if a.k and a.k not in fn.__name__:
            continue
        n += 1
        tmp = tempfile.mkdtemp(prefix="flowidd-bad.")
        try:
            fn(Test(flowidd, tmp, a.v))
            print("ok   %s" % fn.__name__)
        except Fail as e:
            failed += 1
            print("FAIL %s: %s" % (fn.__name__, e))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("badinput: %d of %d cases passed" % (n - failed, n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
