# Tests of flowid-train and lib/model.c: make check-train.  bench-train
# (not part of check) trains on a generated 3.6 M-row table.

TRAIN_CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
TRAIN_CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || \
			echo -lcmocka)
TRAIN_DS_OBJS	:= $(B)/tools/train/csv.o $(B)/tools/train/dataset.o \
		   $(B)/tools/train/util.o

$(B)/tests/model_test: tests/unit/model_test.c $(MODEL_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TRAIN_CMOCKA_CFLAGS) -Ilib -o $@ $< \
	    $(MODEL_OBJS) $(TRAIN_CMOCKA_LIBS) -lm

$(B)/tests/train_dataset_test: tests/train/dataset_test.c $(TRAIN_DS_OBJS) \
    tools/train/train.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TRAIN_CMOCKA_CFLAGS) -Ilib -Itools/train -o $@ $< \
	    $(TRAIN_DS_OBJS) $(TRAIN_CMOCKA_LIBS) -lm

check-train: $(B)/flowid-train $(B)/flowid-gen $(B)/tests/model_test \
    $(B)/tests/train_dataset_test
	$(B)/tests/model_test
	$(B)/tests/train_dataset_test tests/train
	sh tests/train/run.sh $(B)

bench-train: $(B)/flowid-train $(B)/flowid-gen
	sh tests/train/bench.sh $(B)

.PHONY: check-train bench-train
