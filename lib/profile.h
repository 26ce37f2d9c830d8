/* SPDX-License-Identifier: ISC */
/*
 * Feature profiles: which rules compute a flow's statistics and decide
 * its life cycle.  See docs/features.md for what each one means.
 */
#ifndef FLOWID_PROFILE_H
#define FLOWID_PROFILE_H

enum flowid_profile {
	FLOWID_PROFILE_FLOWIDD = 0,	/* corrected definitions (default) */
	FLOWID_PROFILE_CICFLOWMETER,	/* CICFlowMeter 4 ("HEAD") */
	FLOWID_PROFILE_UNICAUCA,	/* 2017 rules of the Unicauca dataset */
	FLOWID_PROFILE_COUNT
};

/* "flowidd", "cicflowmeter", "unicauca" */
const char *profile_name(enum flowid_profile);

/* profile by name; returns 0, or -1 if the name is unknown */
int	profile_parse(const char *name, enum flowid_profile *out);

#endif /* FLOWID_PROFILE_H */
