# The shipped model (issue #4) and its evidence (issue #8).
#
#   make model        export every corpus capture with flowidd's own
#                     profile, train models/default.{model,json} and
#                     write models/REPORT.md (+ its confusion SVG) with
#                     the comparison of feature sets, splits and baselines
#   make check-model  flowidd with models/default.model classifies
#                     tests/data/demo.pcap as flowid-train --predict does
#
# Every run uses the same seed and thread count, so a second `make model`
# writes the same bytes.  The shipped set's own run, split by capture and
# then retrained on every row (--final), is the one whose report becomes
# models/REPORT.md.  Needs $(SHARED)/corpus; check-model does not.

MD		 = $(B)/model
MODEL_CSV	 = $(MD)/corpus.csv
# what every run shares: the labels, the classes, the seed, the threads
MODEL_DATA	 = --drop-unknown --min-class 50 --seed 1 --threads 2
# the boosting parameters of every run: rounds x classes trees of depth
# 5, which lib/model.c walks four at a time (AVX-512) at >= 200,000
# flows/s on one core
MODEL_XGB	 = --rounds 20 --depth 5 --eta 0.3
# lookup features (lib/lookup.h): what the training flows of the same
# service port, server network (/16) and server (/32) were
MODEL_LOOKUPS	 = --lookup Protocol,Server.Port \
		   --lookup IP.Version,Server.Addr.Hi \
		   --lookup IP.Version,Server.Addr.Hi,Server.Addr.Mid
# the feature sets compared; the shipped one is MODEL_SHIP
MODEL_SET_cic	 = --cic-only
MODEL_SET_cicports = --cic-only --ports
MODEL_SET_ext	 =
MODEL_SET_extports = --ports
MODEL_SET_lookups = $(MODEL_LOOKUPS)
MODEL_SETS	 = cic cicports ext extports lookups
MODEL_SHIP	 = lookups
# the shipped set is also split by capture with these other seeds: one
# split of ~1,300 capture groups is a noisy measure
MODEL_SEEDS	 = 2 3 4 5

model: $(B)/flowidd $(B)/flowid-train
	@if [ ! -d $(SHARED)/corpus/captures ]; then \
	    echo "model: no $(SHARED)/corpus" >&2; exit 1; fi
	@mkdir -p $(MD) models
	sh tools/model_export.sh $(B)/flowidd $(SHARED)/corpus $(MODEL_CSV)
	@set -e; for s in $(MODEL_SETS); do for sp in capture random; do \
	    case $$s in cic) o="$(MODEL_SET_cic)";; \
	    cicports) o="$(MODEL_SET_cicports)";; \
	    ext) o="$(MODEL_SET_ext)";; \
	    extports) o="$(MODEL_SET_extports)";; \
	    lookups) o="$(MODEL_SET_lookups)";; esac; \
	    [ $$s-$$sp != $(MODEL_SHIP)-capture ] || continue; \
	    echo "model: $$s, $$sp split"; \
	    $(B)/flowid-train -o $(MD)/$$s-$$sp --split $$sp \
	    --report $(MD)/$$s-$$sp.md $(MODEL_DATA) $(MODEL_XGB) $$o \
	    $(MODEL_CSV) > $(MD)/$$s-$$sp.out; \
	    cat $(MD)/$$s-$$sp.out; done; done
	@set -e; for seed in $(MODEL_SEEDS); do \
	    echo "model: $(MODEL_SHIP), capture split, seed $$seed"; \
	    $(B)/flowid-train -o $(MD)/seed$$seed --split capture \
	    $(MODEL_DATA) $(MODEL_XGB) $(MODEL_SET_$(MODEL_SHIP)) \
	    --seed $$seed $(MODEL_CSV) > $(MD)/seed$$seed.out; \
	    cat $(MD)/seed$$seed.out; done
	@echo "model: $(MODEL_SHIP), capture split, then all rows"
	$(B)/flowid-train -o models/default --split capture --final \
	    --report models/REPORT.md $(MODEL_DATA) $(MODEL_XGB) \
	    $(MODEL_SET_$(MODEL_SHIP)) --verify $(MODEL_CSV) \
	    > $(MD)/default.out
	cat $(MD)/default.out
	python3 tools/model_report.py models/REPORT.md $(MD) \
	    $(MODEL_SHIP) "$(MODEL_SEEDS)" $(MODEL_SETS)

check-model: $(B)/flowidd $(B)/flowid-train
	sh tests/model_check.sh $(B) models/default.model tests/data/demo.pcap

.PHONY: model check-model
