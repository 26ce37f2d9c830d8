# flowid-train (model trainer) and flowid-gen (synthetic flow tables).
# Only these link libxgboost; the daemon reads the .model sidecar through
# lib/model.c.  They link lib/model.c's objects (MODEL_OBJS), not
# libflowid.a, so the trainer builds while other lib/ modules are
# half-written.

TRAIN_SRCS	:= $(filter-out tools/train/gen.c,$(wildcard tools/train/*.c))
TRAIN_OBJS	:= $(TRAIN_SRCS:%.c=$(B)/%.o)

$(TRAIN_OBJS) $(B)/tools/train/gen.o: CFLAGS += $(XGB_CFLAGS)

MODEL_OBJS	:= $(B)/lib/model.o $(B)/lib/model_walk.o $(B)/lib/lookup.o

$(B)/flowid-train: $(TRAIN_OBJS) $(MODEL_OBJS)
	$(CC) $(CFLAGS) -o $@ $(TRAIN_OBJS) $(MODEL_OBJS) $(XGB_LIBS) -lm

$(B)/flowid-gen: $(B)/tools/train/gen.o
	$(CC) $(CFLAGS) -o $@ $(B)/tools/train/gen.o

all: $(B)/flowid-train

-include $(TRAIN_OBJS:.o=.d) $(B)/tools/train/gen.d
