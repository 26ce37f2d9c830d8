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
# the boosting parameters of every run: rounds x classes trees, kept
# near 200 so that lib/model.c classifies >= 200,000 flows/s on one core
MODEL_XGB	 = --rounds 5 --depth 10 --eta 0.5
# the feature sets compared; the shipped one is MODEL_SHIP
MODEL_SET_cic	 = --cic-only
MODEL_SET_cicports = --cic-only --ports
MODEL_SET_ext	 =
MODEL_SET_extports = --ports
MODEL_SETS	 = cic cicports ext extports
MODEL_SHIP	 = ext

model: $(B)/flowidd $(B)/flowid-train
	@if [ ! -d $(SHARED)/corpus/captures ]; then \
	    echo "model: no $(SHARED)/corpus" >&2; exit 1; fi
	@mkdir -p $(MD) models
	sh tools/model_export.sh $(B)/flowidd $(SHARED)/corpus $(MODEL_CSV)
	@set -e; for s in $(MODEL_SETS); do for sp in capture random; do \
	    case $$s in cic) o="$(MODEL_SET_cic)";; \
	    cicports) o="$(MODEL_SET_cicports)";; \
	    ext) o="$(MODEL_SET_ext)";; \
	    extports) o="$(MODEL_SET_extports)";; esac; \
	    [ $$s-$$sp != $(MODEL_SHIP)-capture ] || continue; \
	    echo "model: $$s, $$sp split"; \
	    $(B)/flowid-train -o $(MD)/$$s-$$sp --split $$sp \
	    --report $(MD)/$$s-$$sp.md $(MODEL_DATA) $(MODEL_XGB) $$o \
	    $(MODEL_CSV) > $(MD)/$$s-$$sp.out; \
	    cat $(MD)/$$s-$$sp.out; done; done
	@echo "model: $(MODEL_SHIP), capture split, then all rows"
	$(B)/flowid-train -o models/default --split capture --final \
	    --report models/REPORT.md $(MODEL_DATA) $(MODEL_XGB) \
	    $(MODEL_SET_$(MODEL_SHIP)) --verify $(MODEL_CSV) \
	    > $(MD)/default.out
	cat $(MD)/default.out
	python3 tools/model_report.py models/REPORT.md $(MD) \
	    $(MODEL_SHIP) $(MODEL_SETS)

check-model: $(B)/flowidd $(B)/flowid-train
	sh tests/model_check.sh $(B) models/default.model tests/data/demo.pcap

.PHONY: model check-model
