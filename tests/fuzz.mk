# libFuzzer targets (clang, ASan + UBSan).  `make fuzz FUZZ_SECONDS=N`
# builds every target, seeds it from tests/data and a sample of the
# corpus, and runs each for N seconds.  Crashes land in build/fuzz/ and
# become regression inputs under tests/fuzz/regress/<target>/, which
# `make fuzz-regress` (part of check) replays.

FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_FLAGS	 = -g -O1 -std=c11 -D_GNU_SOURCE \
		   -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=all $(INC)
FZ		 = $(B)/fuzz
FUZZ_TARGETS	:= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS	:= $(FUZZ_TARGETS:%=$(FZ)/fuzz_%)

# each target lists the sources it needs beyond its own file
FUZZ_SRCS_decode = lib/decode.c
FUZZ_SRCS_flow	 = $(LIB_SRCS)
FUZZ_SRCS_model	 = lib/model.c lib/model_walk.c lib/lookup.c
FUZZ_SRCS_conf	 = daemon/conf_file.c daemon/conf.c $(LIB_SRCS)
FUZZ_LIBS_conf	 = $(shell pkg-config --libs libconfig 2>/dev/null)
FUZZ_SRCS_savefile = lib/savefile.c lib/decode.c
FUZZ_LIBS_savefile = $(shell pkg-config --libs libpcap 2>/dev/null || \
		     echo -lpcap)
FUZZ_SRCS_csv	 = tools/train/csv.c tools/train/dataset.c tools/train/util.c
FUZZ_CFLAGS_csv	 = -iquote tools/train

$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_file.h $(LIB_SRCS) \
    $(wildcard daemon/conf*.c) \
    $(wildcard tools/train/*.[ch])
	@mkdir -p $(FZ)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CFLAGS_$*) -o $@ $< $(FUZZ_SRCS_$*) \
	    $(FUZZ_LIBS_$*) -lm

# csv seeds: regress/csv, and an option byte then the header and first
# rows of flowidd's own export of the demo capture.
$(FZ)/seeds/.done: tests/fuzz/seeds.py tests/fuzz.mk \
    $(wildcard tests/fuzz/regress/conf/* tests/fuzz/regress/model/* \
    tests/fuzz/regress/csv/* tests/fuzz/regress/savefile/*) | $(B)/flowidd
	rm -rf $(FZ)/seeds
	python3 tests/fuzz/seeds.py $(FZ)/seeds tests/data/cases/*.pcap \
	    tests/data/*.pcap $$(ls $(SHARED)/corpus/captures/*.pcap \
	    2>/dev/null | awk 'NR % 40 == 0')
	mkdir -p $(FZ)/seeds/conf $(FZ)/seeds/model $(FZ)/seeds/csv \
	    $(FZ)/seeds/savefile
	cp tests/data/*.pcap tests/data/cases/*.pcap $(FZ)/seeds/savefile/
	cp conf/*.conf tests/conf/*.conf $(FZ)/seeds/conf/ 2>/dev/null || true
	cp models/*.model tests/train/*.model $(FZ)/seeds/model/ \
	    2>/dev/null || true
	for t in conf model csv savefile; do \
	    cp tests/fuzz/regress/$$t/* $(FZ)/seeds/$$t/ 2>/dev/null || true; \
	done
	-if [ -x $(B)/flowidd ]; then \
	    $(B)/flowidd -r tests/data/demo.pcap --no-model \
	    --labels tests/data/demo.labels.csv -o csv:$(FZ)/demo.csv && \
	    { printf '\000'; head -n 6 $(FZ)/demo.csv; } \
	    >$(FZ)/seeds/csv/demo.csv; fi
	touch $@

fuzz: $(FUZZ_BINS) $(FZ)/seeds/.done
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FZ)/corpus/$$t $(FZ)/crashes/$$t; \
	    echo "== fuzz $$t, $(FUZZ_SECONDS) s"; \
	    d=tests/fuzz/$$t.dict; dict=; [ -f $$d ] && dict=-dict=$$d; \
	    $(FZ)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -print_final_stats=1 -artifact_prefix=$(FZ)/crashes/$$t/ \
	        $$dict $(FZ)/corpus/$$t \
	        $(FZ)/seeds/$$t 2>&1 | \
	        grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)' \
	        || true; \
	    n=$$(ls $(FZ)/crashes/$$t | wc -l); echo "fuzz $$t: $$n crash files"; \
	done

# Replay every saved regression input once (no fuzzing).
fuzz-regress: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    d=tests/fuzz/regress/$$t; [ -d $$d ] || continue; \
	    $(FZ)/fuzz_$$t -runs=0 $$d >/dev/null 2>&1 || \
	    { echo "fuzz-regress $$t: FAILED"; exit 1; }; \
	    echo "fuzz-regress $$t: $$(ls $$d | wc -l) inputs ok"; \
	done

.PHONY: fuzz fuzz-regress
