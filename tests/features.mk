# Feature profiles, CSV export and labels (issue #3).
#
#   make check-features   the flowidd profile against every "sane" value
#                         of the edge cases (tests/data/cases); no
#                         ../shared needed
#   make oracle-check     the cicflowmeter and unicauca profiles against
#                         the real CICFlowMeter's CSVs in $(SHARED)/oracle;
#                         prints SKIP and succeeds when $(SHARED) is absent

# (the unit tests features_test, csv_test, labels_test run in check-unit)
check-features: $(B)/flowidd
	python3 tests/cases_features.py $(B)/flowidd tests/data/cases

oracle-check: $(B)/flowidd
	python3 tests/oracle_check.py $(B)/flowidd $(SHARED)

.PHONY: check-features oracle-check
