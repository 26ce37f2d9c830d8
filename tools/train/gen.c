/* SPDX-License-Identifier: ISC */
/*
 * flowid-gen: write a synthetic flow table in the Unicauca layout (87
 * columns, R's dotted names) to stdout, for the trainer's tests and
 * benchmark.  The class of a row is fixed by the ranges of two columns,
 * Flow.Duration and Total.Fwd.Packets, so it is learnable exactly; every
 * other feature is noise.  The output depends only on the options.
 */

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GEN_COLS	87
#define COL_DURATION	7
#define COL_FWDPKTS	8
#define COL_BYTES_S	20
#define COL_PKTS_S	21
#define COL_LABEL	84

static const char *gen_header =
    "Flow.ID,Source.IP,Source.Port,Destination.IP,Destination.Port,"
    "Protocol,Timestamp,Flow.Duration,Total.Fwd.Packets,"
    "Total.Backward.Packets,Total.Length.of.Fwd.Packets,"
    "Total.Length.of.Bwd.Packets,Fwd.Packet.Length.Max,"
    "Fwd.Packet.Length.Min,Fwd.Packet.Length.Mean,Fwd.Packet.Length.Std,"
    "Bwd.Packet.Length.Max,Bwd.Packet.Length.Min,Bwd.Packet.Length.Mean,"
    "Bwd.Packet.Length.Std,Flow.Bytes.s,Flow.Packets.s,Flow.IAT.Mean,"
    "Flow.IAT.Std,Flow.IAT.Max,Flow.IAT.Min,Fwd.IAT.Total,Fwd.IAT.Mean,"
    "Fwd.IAT.Std,Fwd.IAT.Max,Fwd.IAT.Min,Bwd.IAT.Total,Bwd.IAT.Mean,"
    "Bwd.IAT.Std,Bwd.IAT.Max,Bwd.IAT.Min,Fwd.PSH.Flags,Bwd.PSH.Flags,"
    "Fwd.URG.Flags,Bwd.URG.Flags,Fwd.Header.Length,Bwd.Header.Length,"
    "Fwd.Packets.s,Bwd.Packets.s,Min.Packet.Length,Max.Packet.Length,"
    "Packet.Length.Mean,Packet.Length.Std,Packet.Length.Variance,"
    "FIN.Flag.Count,SYN.Flag.Count,RST.Flag.Count,PSH.Flag.Count,"
    "ACK.Flag.Count,URG.Flag.Count,CWE.Flag.Count,ECE.Flag.Count,"
    "Down.Up.Ratio,Average.Packet.Size,Avg.Fwd.Segment.Size,"
    "Avg.Bwd.Segment.Size,Fwd.Header.Length.1,Fwd.Avg.Bytes.Bulk,"
    "Fwd.Avg.Packets.Bulk,Fwd.Avg.Bulk.Rate,Bwd.Avg.Bytes.Bulk,"
    "Bwd.Avg.Packets.Bulk,Bwd.Avg.Bulk.Rate,Subflow.Fwd.Packets,"
    "Subflow.Fwd.Bytes,Subflow.Bwd.Packets,Subflow.Bwd.Bytes,"
    "Init_Win_bytes_forward,Init_Win_bytes_backward,act_data_pkt_fwd,"
    "min_seg_size_forward,Active.Mean,Active.Std,Active.Max,Active.Min,"
    "Idle.Mean,Idle.Std,Idle.Max,Idle.Min,Label,L7Protocol,ProtocolName";

static const char *gen_names[] = {
	"HTTP", "DNS", "SSL", "GOOGLE", "YOUTUBE", "AMAZON", "MICROSOFT",
	"FACEBOOK", "HTTP_PROXY", "NETFLIX", "SKYPE", "DROPBOX", "TWITTER",
	"WHATSAPP", "SPOTIFY", "GMAIL"
};
static const unsigned gen_ports[] = { 80, 53, 443, 443, 443, 443, 443,
	443, 8080, 443, 3478, 443, 443, 5222, 4070, 993 };

#define GEN_MAXCLASS	(sizeof(gen_names) / sizeof(gen_names[0]))

static uint64_t	gen_state;

static uint64_t
gen_rand(void)
{
	uint64_t	z = (gen_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long
gen_below(unsigned long n)
{
	return (unsigned long)(gen_rand() % n);
}

/* Integer and fixed-point writers: printf("%g") would dominate the run. */
static void
put_u(unsigned long long v)
{
	char	buf[24];
	int	i = (int)sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	fwrite(buf + i, 1, sizeof(buf) - (size_t)i, stdout);
}

static void
put_fixed(unsigned long long thousandths)
{
	char	frac[4];

	put_u(thousandths / 1000);
	snprintf(frac, sizeof(frac), "%03u", (unsigned)(thousandths % 1000));
	putchar('.');
	fputs(frac, stdout);
}

/* A noise cell: integers, decimals or small counts, by column. */
static void
put_noise(int col)
{
	switch (col % 3) {
	case 0:
		put_u(gen_below(100000));
		break;
	case 1:
		put_fixed(gen_below(10000000));
		break;
	default:
		put_u(gen_below(10));
		break;
	}
}

/* Rates of zero-duration flows: CICFlowMeter writes NaN and Infinity. */
static void
put_rate(void)
{
	unsigned long	r = gen_below(1000);

	if (r < 5)
		fputs("Infinity", stdout);
	else if (r < 10)
		fputs("NaN", stdout);
	else if (r < 12)
		fputs("-Infinity", stdout);
	else
		put_fixed(gen_below(100000000));
}

struct gen_opts {
	unsigned long	 rows;
	unsigned	 classes;
	unsigned	 noise;		/* percent of labels made random */
	unsigned	 unknown;	/* percent of rows labelled Unknown */
	unsigned	 extra;	/* numeric columns after ProtocolName */
	int		 predicted;	/* add Predicted.* columns */
};

static void
gen_row(const struct gen_opts *g, unsigned long i)
{
	unsigned	nb = 1, a, b, c, sport, col;
	const char	*name;

	while (nb * nb < g->classes)
		nb++;
	a = (unsigned)gen_below(nb);
	b = (unsigned)gen_below(nb);
	c = (a * nb + b) % g->classes;
	sport = 1024 + (unsigned)gen_below(60000);

	printf("10.0.%lu.%lu-192.168.1.%u-%u-%u-%u,10.0.%lu.%lu,%u,"
	    "192.168.1.%u,%u,%u,26/04/201711:%02lu:%02lu,",
	    i / 250 % 250, i % 250 + 1, c + 1, sport, gen_ports[c],
	    c == 1 ? 17 : 6, i / 250 % 250, i % 250 + 1, sport, c + 1,
	    gen_ports[c], c == 1 ? 17 : 6, i / 60 % 60, i % 60);
	put_u(a * 1000000ULL + gen_below(900000));
	putchar(',');
	put_u(b * 100ULL + gen_below(90) + 1);
	for (col = COL_FWDPKTS + 1; col < COL_LABEL; col++) {
		putchar(',');
		if (col == COL_BYTES_S || col == COL_PKTS_S)
			put_rate();
		else
			put_noise((int)col);
	}

	if (gen_below(100) < g->noise)
		c = (unsigned)gen_below(g->classes);
	name = gen_below(100) < g->unknown ? "Unknown" : gen_names[c];
	printf(",BENIGN,%u,%s", c + 7, name);
	for (col = 0; col < g->extra; col++) {
		putchar(',');
		put_u(col == 0 ? (a + b) * 10 + gen_below(5) :
		    gen_below(1000));
	}
	if (g->predicted)
		printf(",%s,0.5", gen_names[gen_below(g->classes)]);
	putchar('\n');
}

static void
usage(void)
{
	fprintf(stderr, "usage: flowid-gen [-p] [-c classes] [-e noise%%] "
	    "[-n rows] [-s seed] [-u unknown%%] [-x extra]\n");
	exit(1);
}

static unsigned long
num(const char *s, unsigned long max)
{
	char		*end;
	unsigned long	 v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v > max)
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	struct gen_opts	g = { 1000, 3, 0, 0, 0, 0 };
	unsigned long	i;
	unsigned	col;
	int		ch;

	gen_state = 1;
	while ((ch = getopt(argc, argv, "c:e:n:ps:u:x:")) != -1) {
		switch (ch) {
		case 'c':
			g.classes = (unsigned)num(optarg, GEN_MAXCLASS);
			break;
		case 'e': g.noise = (unsigned)num(optarg, 100); break;
		case 'n': g.rows = num(optarg, 100000000); break;
		case 'p': g.predicted = 1; break;
		case 's': gen_state = num(optarg, ~0UL); break;
		case 'u': g.unknown = (unsigned)num(optarg, 100); break;
		case 'x': g.extra = (unsigned)num(optarg, 100); break;
		default: usage();
		}
	}
	if (g.classes < 2 || optind != argc)
		usage();

	fputs(gen_header, stdout);
	for (col = 0; col < g.extra; col++)
		printf(",ext.Feature%u", col);
	if (g.predicted)
		fputs(",Predicted.ProtocolName,Predicted.Confidence", stdout);
	putchar('\n');
	for (i = 0; i < g.rows; i++)
		gen_row(&g, i);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return 0;
}
