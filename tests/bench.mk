# make bench (issue #7): flowidd against the floor and its peers.
#
#   make bench          everything below, then the table, which also goes
#                       into BENCHMARKS.md between its bench markers
#   make bench-captures only build the captures under $(BN)
#   make bench-live     only the live path (root: namespaces, tcpreplay)
#
# Knobs: BENCH_REPS (runs per program, default 5), BENCH_MIX_MB (size of
# capture (a), 1000), BENCH_SHORT_FLOWS (capture (b), 2000000),
# BENCH_ACTIVE_PKTS (scaling captures, 4000000), LIVE_SECONDS (60).
# Needs root and the Debian packages libndpi-bin, tcpreplay, iproute2,
# time (GNU time), util-linux (taskset), libxgboost-dev, python3; not
# part of check.  The model is models/default.model when it exists,
# else one trained here from the corpus (bench.model, kept).

BN		 = $(B)/bench
BENCH_REPS	?= 5
BENCH_MIX_MB	?= 1000
BENCH_SHORT_FLOWS ?= 2000000
BENCH_ACTIVE_PKTS ?= 4000000
LIVE_SECONDS	?= 60
PCAP_LIBS	:= $(shell pkg-config --libs libpcap 2>/dev/null || \
		   echo -lpcap)

BENCH_MODEL	 = $(strip $(if $(wildcard models/default.model), \
		   models/default.model,$(BN)/bench.model))
BENCH_JSON	 = $(BENCH_MODEL:.model=.json)
BENCH_PROFILE	 = $(if $(wildcard models/default.model),$(shell sed -n \
		   's/^profile //p' models/default.model),flowidd)
BENCH_CAPS	 = $(BN)/mix.pcap $(BN)/short.pcap $(BN)/live.pcap \
		   $(foreach n,1k 100k 1m,$(BN)/active-$(n).pcap \
		   $(BN)/active-$(n)-half.pcap)
BENCH_BINS	 = $(BN)/bench-gen $(BN)/bench-floor $(BN)/bench-classify

$(BN)/bench-gen: tests/bench/gen.c tests/bench/gen_mix.c tests/bench/gen.h
	@mkdir -p $(BN)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ tests/bench/gen.c \
	    tests/bench/gen_mix.c $(PCAP_LIBS)

$(BN)/bench-floor: tests/bench/floor.c
	@mkdir -p $(BN)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(PCAP_LIBS)

$(BN)/bench-classify: tests/bench/classify.c $(B)/libflowid.a
	@mkdir -p $(BN)
	$(CC) $(CFLAGS) $(XGB_CFLAGS) $(INC) -o $@ $< $(B)/libflowid.a \
	    $(XGB_LIBS) -lm

# Captures: rebuilt only when the generator changes (same bytes anyway).
$(BN)/mix.pcap: $(BN)/bench-gen
	$(BN)/bench-gen mix $@.part $(SHARED)/corpus/captures \
	    $(BENCH_MIX_MB) 600 && mv $@.part $@

$(BN)/live.pcap: $(BN)/bench-gen
	$(BN)/bench-gen mix $@.part $(SHARED)/corpus/captures 250 600 && \
	    mv $@.part $@

$(BN)/short.pcap: $(BN)/bench-gen
	$(BN)/bench-gen short $@.part $(BENCH_SHORT_FLOWS) && mv $@.part $@

# N flows open at once, BENCH_ACTIVE_PKTS packets and half as many: the
# difference is the cost of packets alone, without creating or ending
# the N flows.
ACTIVE_N_1k	 = 1000
ACTIVE_N_100k	 = 100000
ACTIVE_N_1m	 = 1000000

$(BN)/active-%-half.pcap: $(BN)/bench-gen
	$(BN)/bench-gen active $@.part $(ACTIVE_N_$*) \
	    $$(($(BENCH_ACTIVE_PKTS) / 2)) && mv $@.part $@

$(BN)/active-%.pcap: $(BN)/bench-gen
	$(BN)/bench-gen active $@.part $(ACTIVE_N_$*) $(BENCH_ACTIVE_PKTS) && \
	    mv $@.part $@

# Order-only on the programs: other work in the tree rebuilds them often,
# and these files take minutes.  Delete them to refresh.
$(BN)/corpus-features.csv: tests/bench/export.sh | $(B)/flowidd
	@mkdir -p $(BN)
	sh tests/bench/export.sh $(B)/flowidd $(SHARED)/corpus \
	    $(BENCH_PROFILE) $@

# Stand-in while no model ships: the trainer's defaults on the corpus.
$(BN)/bench.model: $(BN)/corpus-features.csv | $(B)/flowid-train
	$(B)/flowid-train -o $(BN)/bench $(BN)/corpus-features.csv

bench-captures: $(BENCH_BINS) $(BENCH_CAPS)

bench-live: $(B)/flowidd $(BN)/live.pcap $(BENCH_MODEL)
	LIVE_SECONDS=$(LIVE_SECONDS) bash tests/bench/live.sh $(B)/flowidd \
	    $(BN)/live.pcap $(BENCH_MODEL) $(BN)/live.md

# The trainer's own benchmark (issue #4), when its fragment defines it.
# It takes minutes, so its output is kept: delete train.txt to re-run.
$(BN)/train.txt: $(wildcard tests/train/bench.sh)
	@mkdir -p $(BN)
	@if $(MAKE) --no-print-directory -n bench-train >/dev/null 2>&1; \
	then $(MAKE) --no-print-directory bench-train 2>&1 | tee $@.part; \
	    mv $@.part $@; \
	else echo "No bench-train target in this tree: not measured." \
	    > $@; cat $@; fi

bench: all $(BENCH_BINS) $(BENCH_CAPS) $(BN)/corpus-features.csv \
    $(BENCH_MODEL)
	@if [ ! -d $(SHARED)/corpus/captures ]; then \
	    echo "bench: needs $(SHARED)/corpus"; exit 1; fi
	$(MAKE) --no-print-directory bench-live
	$(MAKE) --no-print-directory $(BN)/train.txt
	python3 tests/bench/run.py --bin $(BN) --flowidd $(B)/flowidd \
	    --data $(BN) --model $(BENCH_MODEL) \
	    --json $(BENCH_JSON) --reps $(BENCH_REPS) --md BENCHMARKS.md \
	    --live $(BN)/live.md --train $(BN)/train.txt

.PHONY: bench bench-captures bench-live
