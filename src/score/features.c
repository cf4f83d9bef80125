/*
 * features.c: one pass over a prompt's bytes yields counts of the signals
 * that predict how hard the prompt is; features_extract() turns them into
 * the vector scorer.c weighs.  Pure: no I/O, no allocation, no locale.
 *
 * Words are runs of ASCII letters, read whole; one that may be a keyword
 * by its length and first and last letters is lower-cased, hashed and
 * looked up in one small open-addressing table of keywords, each tagged
 * with the signal it counts towards.  Everything else is decided from the
 * byte classes and from the first bytes of each line.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "score/features.h"

#include "base/banned.h"

enum kw_kind {
	KW_CODE = 1,
	KW_MATH,
	KW_REASON,
	KW_SEQ,
	KW_CONSTRAINT,
	KW_DOMAIN,
	KW_GREETING,
	KW_WH,		/* what, who, ...: a lookup when "is", "was" follows */
	KW_BE,		/* is, was, ... */
	KW_LOOKUP
};

struct keyword {
	const char	*word;
	enum kw_kind	 kind;
};

static const struct keyword keywords[] = {
	/* Programming. */
	{ "def", KW_CODE }, { "return", KW_CODE }, { "function", KW_CODE },
	{ "class", KW_CODE }, { "import", KW_CODE }, { "include", KW_CODE },
	{ "const", KW_CODE }, { "var", KW_CODE }, { "let", KW_CODE },
	{ "void", KW_CODE }, { "int", KW_CODE }, { "struct", KW_CODE },
	{ "printf", KW_CODE }, { "println", KW_CODE }, { "elif", KW_CODE },
	{ "lambda", KW_CODE }, { "async", KW_CODE }, { "await", KW_CODE },
	{ "null", KW_CODE }, { "nullptr", KW_CODE }, { "self", KW_CODE },
	{ "python", KW_CODE }, { "javascript", KW_CODE },
	{ "typescript", KW_CODE }, { "java", KW_CODE }, { "rust", KW_CODE },
	{ "golang", KW_CODE }, { "sql", KW_CODE }, { "select", KW_CODE },
	{ "bash", KW_CODE }, { "regex", KW_CODE }, { "api", KW_CODE },
	{ "code", KW_CODE }, { "program", KW_CODE }, { "script", KW_CODE },
	{ "compile", KW_CODE }, { "compiler", KW_CODE }, { "debug", KW_CODE },
	{ "bug", KW_CODE }, { "algorithm", KW_CODE }, { "implement", KW_CODE },
	{ "refactor", KW_CODE }, { "html", KW_CODE }, { "css", KW_CODE },
	{ "json", KW_CODE }, { "array", KW_CODE }, { "string", KW_CODE },
	{ "integer", KW_CODE }, { "boolean", KW_CODE }, { "recursion", KW_CODE },
	{ "recursive", KW_CODE }, { "database", KW_CODE }, { "query", KW_CODE },
	{ "exception", KW_CODE }, { "thread", KW_CODE }, { "kubernetes", KW_CODE },
	{ "docker", KW_CODE }, { "linux", KW_CODE }, { "git", KW_CODE },

	/* Mathematics. */
	{ "solve", KW_MATH }, { "equation", KW_MATH }, { "equations", KW_MATH },
	{ "integral", KW_MATH }, { "derivative", KW_MATH },
	{ "calculate", KW_MATH }, { "compute", KW_MATH },
	{ "probability", KW_MATH }, { "theorem", KW_MATH }, { "proof", KW_MATH },
	{ "matrix", KW_MATH }, { "polynomial", KW_MATH }, { "sum", KW_MATH },
	{ "product", KW_MATH }, { "percent", KW_MATH }, { "percentage", KW_MATH },
	{ "ratio", KW_MATH }, { "fraction", KW_MATH }, { "sqrt", KW_MATH },
	{ "log", KW_MATH }, { "sin", KW_MATH }, { "cos", KW_MATH },
	{ "limit", KW_MATH }, { "vector", KW_MATH }, { "geometry", KW_MATH },
	{ "algebra", KW_MATH }, { "calculus", KW_MATH }, { "prime", KW_MATH },
	{ "divisible", KW_MATH }, { "remainder", KW_MATH }, { "expected", KW_MATH },
	{ "variance", KW_MATH }, { "triangle", KW_MATH }, { "area", KW_MATH },

	/* Reasoning and analysis. */
	{ "why", KW_REASON }, { "explain", KW_REASON }, { "analyze", KW_REASON },
	{ "analyse", KW_REASON }, { "analysis", KW_REASON },
	{ "compare", KW_REASON }, { "contrast", KW_REASON },
	{ "evaluate", KW_REASON }, { "prove", KW_REASON }, { "derive", KW_REASON },
	{ "reason", KW_REASON }, { "reasoning", KW_REASON },
	{ "justify", KW_REASON }, { "critique", KW_REASON },
	{ "assess", KW_REASON }, { "design", KW_REASON },
	{ "optimize", KW_REASON }, { "optimise", KW_REASON },
	{ "tradeoffs", KW_REASON }, { "implications", KW_REASON },
	{ "strategy", KW_REASON }, { "infer", KW_REASON },
	{ "hypothesize", KW_REASON }, { "argue", KW_REASON },
	{ "pros", KW_REASON }, { "cons", KW_REASON }, { "architecture", KW_REASON },
	{ "thoroughly", KW_REASON }, { "detailed", KW_REASON },

	/* Sequencing: several parts to answer. */
	{ "first", KW_SEQ }, { "then", KW_SEQ }, { "finally", KW_SEQ },
	{ "additionally", KW_SEQ }, { "also", KW_SEQ }, { "next", KW_SEQ },
	{ "second", KW_SEQ }, { "third", KW_SEQ }, { "afterwards", KW_SEQ },
	{ "furthermore", KW_SEQ }, { "moreover", KW_SEQ },

	/* Constraints on the output. */
	{ "must", KW_CONSTRAINT }, { "exactly", KW_CONSTRAINT },
	{ "format", KW_CONSTRAINT }, { "table", KW_CONSTRAINT },
	{ "markdown", KW_CONSTRAINT }, { "csv", KW_CONSTRAINT },
	{ "yaml", KW_CONSTRAINT }, { "bullet", KW_CONSTRAINT },
	{ "bullets", KW_CONSTRAINT }, { "words", KW_CONSTRAINT },
	{ "sentences", KW_CONSTRAINT }, { "paragraph", KW_CONSTRAINT },
	{ "paragraphs", KW_CONSTRAINT }, { "concise", KW_CONSTRAINT },
	{ "without", KW_CONSTRAINT }, { "only", KW_CONSTRAINT },
	{ "should", KW_CONSTRAINT }, { "style", KW_CONSTRAINT },
	{ "tone", KW_CONSTRAINT }, { "rewrite", KW_CONSTRAINT },

	/* Specialist domains. */
	{ "contract", KW_DOMAIN }, { "liability", KW_DOMAIN },
	{ "statute", KW_DOMAIN }, { "plaintiff", KW_DOMAIN },
	{ "defendant", KW_DOMAIN }, { "jurisdiction", KW_DOMAIN },
	{ "clause", KW_DOMAIN }, { "legal", KW_DOMAIN }, { "court", KW_DOMAIN },
	{ "diagnosis", KW_DOMAIN }, { "symptoms", KW_DOMAIN },
	{ "patient", KW_DOMAIN }, { "dosage", KW_DOMAIN },
	{ "treatment", KW_DOMAIN }, { "clinical", KW_DOMAIN },
	{ "disease", KW_DOMAIN }, { "medication", KW_DOMAIN },
	{ "revenue", KW_DOMAIN }, { "tax", KW_DOMAIN },
	{ "investment", KW_DOMAIN }, { "portfolio", KW_DOMAIN },
	{ "equity", KW_DOMAIN }, { "accounting", KW_DOMAIN },
	{ "valuation", KW_DOMAIN }, { "hypothesis", KW_DOMAIN },
	{ "quantum", KW_DOMAIN }, { "molecule", KW_DOMAIN },
	{ "protein", KW_DOMAIN }, { "enzyme", KW_DOMAIN },
	{ "thermodynamics", KW_DOMAIN }, { "physics", KW_DOMAIN },
	{ "chemistry", KW_DOMAIN }, { "genome", KW_DOMAIN },
	{ "regression", KW_DOMAIN }, { "statistical", KW_DOMAIN },

	/* Greetings and chit-chat. */
	{ "hi", KW_GREETING }, { "hello", KW_GREETING }, { "hey", KW_GREETING },
	{ "thanks", KW_GREETING }, { "thank", KW_GREETING },
	{ "bye", KW_GREETING }, { "joke", KW_GREETING }, { "lol", KW_GREETING },
	{ "morning", KW_GREETING },

	/* Simple lookups. */
	{ "what", KW_WH }, { "who", KW_WH }, { "when", KW_WH },
	{ "where", KW_WH }, { "which", KW_WH },
	{ "is", KW_BE }, { "was", KW_BE }, { "are", KW_BE }, { "were", KW_BE },
	{ "did", KW_BE }, { "does", KW_BE },
	{ "define", KW_LOOKUP }, { "definition", KW_LOOKUP },
	{ "meaning", KW_LOOKUP }, { "synonym", KW_LOOKUP },
	{ "capital", KW_LOOKUP }, { "translate", KW_LOOKUP },
	{ "spell", KW_LOOKUP },
};

#define KW_SLOTS	1024	/* power of two, over twice the keywords */
#define KW_MAXLEN	15

static struct {
	uint32_t	hash;
	unsigned char	kind;
	unsigned char	len;
	const char	*word;
} kw_table[KW_SLOTS];
static int kw_ready;

/*
 * Which words can be keywords at all, by length and first letter: bit
 * (last letter - 'a') of kw_maybe[length][first letter - 'a'].  Most
 * words of a prompt fail it and are never hashed.
 */
static uint32_t kw_maybe[KW_MAXLEN + 1][26];

#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u

static uint32_t
kw_hash(const char *w, size_t n)
{
	uint32_t	h = FNV_OFFSET;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * FNV_PRIME;
	return h;
}

/* Fill the keyword table once. */
static void
kw_init(void)
{
	size_t		i, n, slot;
	uint32_t	h;

	for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
		n = strlen(keywords[i].word);
		h = kw_hash(keywords[i].word, n);
		slot = h & (KW_SLOTS - 1);
		while (kw_table[slot].word != NULL)
			slot = (slot + 1) & (KW_SLOTS - 1);
		kw_table[slot].hash = h;
		kw_table[slot].kind = (unsigned char)keywords[i].kind;
		kw_table[slot].len = (unsigned char)n;
		kw_table[slot].word = keywords[i].word;
		kw_maybe[n][keywords[i].word[0] - 'a'] |=
		    1u << (keywords[i].word[n - 1] - 'a');
	}
	kw_ready = 1;
}

/* Whether the n bytes at a and b are the same: words are short. */
static inline int
same_word(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The kind of the lower-cased word w (n bytes, hash h), or 0. */
static int
kw_lookup(const char *w, size_t n, uint32_t h)
{
	size_t slot = h & (KW_SLOTS - 1);

	while (kw_table[slot].word != NULL) {
		if (kw_table[slot].hash == h && kw_table[slot].len == n &&
		    same_word(kw_table[slot].word, w, n))
			return kw_table[slot].kind;
		slot = (slot + 1) & (KW_SLOTS - 1);
	}
	return 0;
}

enum byte_class {
	C_OTHER,	/* control characters */
	C_SPACE,
	C_NL,
	C_UPPER,
	C_LOWER,
	C_DIGIT,
	C_PUNCT,
	C_HIGH		/* part of a multi-byte UTF-8 sequence */
};

static unsigned char byte_class[256];

#define IS_LETTER(ch)	((unsigned)(byte_class[(ch)] - C_UPPER) <= 1)

static void
class_init(void)
{
	int c;

	for (c = 0; c < 256; c++) {
		if (c >= 0x80)
			byte_class[c] = C_HIGH;
		else if (c >= 'A' && c <= 'Z')
			byte_class[c] = C_UPPER;
		else if (c >= 'a' && c <= 'z')
			byte_class[c] = C_LOWER;
		else if (c >= '0' && c <= '9')
			byte_class[c] = C_DIGIT;
		else if (c == '\n')
			byte_class[c] = C_NL;
		else if (c == ' ' || c == '\t' || c == '\r' || c == '\v' ||
		    c == '\f')
			byte_class[c] = C_SPACE;
		else if (c > 0x20 && c < 0x7f)
			byte_class[c] = C_PUNCT;
		else
			byte_class[c] = C_OTHER;
	}
}

/* The table of lg(), declared below with it. */
static void	lg_init(void);

/* Count a finished word whose keyword kind is kind (0: none). */
static void
word_done(struct feature_counts *c, int kind, int *prev)
{
	switch (kind) {
	case KW_CODE:
		c->code_words++;
		break;
	case KW_MATH:
		c->math_words++;
		break;
	case KW_REASON:
		c->reasoning++;
		break;
	case KW_SEQ:
		c->sequencing++;
		break;
	case KW_CONSTRAINT:
		c->constraints++;
		break;
	case KW_DOMAIN:
		c->domain++;
		break;
	case KW_GREETING:
	case KW_LOOKUP:
		c->simple++;
		break;
	case KW_BE:
		if (*prev == KW_WH)
			c->simple++;
		break;
	default:
		break;
	}
	*prev = kind;
}

/* Columns of indentation that make a line code, as in Markdown. */
#define CODE_INDENT	4
/* The columns a tab stands for in that indentation. */
#define TAB_WIDTH	4
/* The letters that open a multiple-choice option: A to H. */
#define CHOICE_LAST	'H'
/* The most digits of a list item's number ("1.", "12)", "100."). */
#define ITEM_DIGITS	3

/* A letter from A to CHOICE_LAST, either case. */
static int
choice_letter(unsigned char ch)
{
	ch = (unsigned char)(ch & ~0x20);
	return ch >= 'A' && ch <= CHOICE_LAST;
}

/*
 * Look at the start of a line (p points past any indentation, indent is its
 * width) for list items, choices, fences and code.
 */
static void
line_start(struct feature_counts *c, const unsigned char *p,
    const unsigned char *end, size_t indent)
{
	size_t n = (size_t)(end - p), i;

	if (n == 0 || *p == '\n')
		return;
	if (n >= 3 && p[0] == '`' && p[1] == '`' && p[2] == '`') {
		c->fences++;
		return;
	}
	if (indent >= CODE_INDENT)
		c->code_lines++;
	if (n >= 2 && (p[0] == '-' || p[0] == '*' || p[0] == '+') &&
	    p[1] == ' ') {
		c->list_items++;
		return;
	}
	if (n >= 2 && p[0] == '#' && p[1] != ' ' && p[1] != '#')
		c->code_lines++;	/* #include, #define */
	/* "A)", "B.", "(c)" followed by a space: a multiple-choice option. */
	if (n >= 3 && choice_letter(p[0]) && (p[1] == ')' || p[1] == '.') &&
	    p[2] == ' ') {
		c->choices++;
		return;
	}
	if (n >= 4 && p[0] == '(' && choice_letter(p[1]) && p[2] == ')' &&
	    p[3] == ' ') {
		c->choices++;
		return;
	}
	/* "1." or "12)" followed by a space: a numbered item. */
	for (i = 0; i < n && i < ITEM_DIGITS && p[i] >= '0' && p[i] <= '9';
	    i++)
		;
	if (i > 0 && i + 1 < n && (p[i] == '.' || p[i] == ')') &&
	    p[i + 1] == ' ')
		c->list_items++;
}

/*
 * The least-squares fit of o200k tokens (bench/tokens): tokens per word,
 * per ASCII punctuation byte, per two-byte and per wider character.
 */
#define TOKENS_PER_WORD		1.07
#define TOKENS_PER_PUNCT	0.79
#define TOKENS_PER_NARROW	0.37
#define TOKENS_PER_WIDE		0.75

/*
 * Estimated tokens of the o200k BPE tokenizer (GPT-4o, GPT-4.1, GPT-5): a
 * least-squares fit on the counts of words, ASCII punctuation and two- and
 * three-or-more-byte characters (bench/tokens measures its error).
 */
double
features_tokens(const struct feature_counts *c)
{
	double t;

	t = TOKENS_PER_WORD * (double)c->words +
	    TOKENS_PER_PUNCT * (double)c->punct +
	    TOKENS_PER_NARROW * (double)(c->nonascii - c->wide) +
	    TOKENS_PER_WIDE * (double)c->wide;
	if (t < 1 && c->bytes > 0)
		t = 1;
	return t;
}

/*
 * The state of the pass between bytes: where the text ends, the line's
 * indentation so far, and what came before.
 */
struct scan {
	struct feature_counts	*c;
	const unsigned char	*end;
	size_t			 indent;	/* columns, at a line's start */
	int			 bol;		/* still in a line's indentation */
	int			 innum;		/* inside a run of digits */
	int			 prevkind;	/* keyword kind of the last word */
	int			 last;		/* class of the last byte */
	unsigned char		 lastch;	/* the last byte */
	unsigned char		 lastnb;	/* the last byte not white space */
};

/*
 * The keyword kind of the n letters at w (0: none): those that pass the
 * length and letter filter are lower-cased, hashed and looked up.
 */
static int
word_kind(const unsigned char *w, size_t n)
{
	char		word[KW_MAXLEN];
	uint32_t	h = FNV_OFFSET;
	size_t		i;

	if (n > KW_MAXLEN || !(kw_maybe[n][(w[0] | 0x20) - 'a'] >>
	    ((w[n - 1] | 0x20) - 'a') & 1))
		return 0;
	for (i = 0; i < n; i++) {
		word[i] = (char)(w[i] | 0x20);
		h = (h ^ (unsigned char)word[i]) * FNV_PRIME;
	}
	return kw_lookup(word, n, h);
}

/*
 * The word of letters starting at p, read whole (most bytes are letters)
 * and then counted and looked up.  Returns its last letter.
 */
static inline const unsigned char *
scan_word(struct scan *s, const unsigned char *p)
{
	struct feature_counts	*c = s->c;
	const unsigned char	*w0 = p;

	if (!s->innum)
		c->words++;
	while (++p < s->end && IS_LETTER(*p))
		;
	c->letters += (size_t)(p - w0);
	word_done(c, word_kind(w0, (size_t)(p - w0)), &s->prevkind);
	p--;
	s->innum = 0;
	s->last = C_LOWER;
	s->lastch = s->lastnb = *p;
	return p;
}

/* A byte of ASCII punctuation at p: sentence ends, code and maths. */
static inline void
scan_punct(struct scan *s, const unsigned char *p)
{
	struct feature_counts	*c = s->c;
	unsigned char		 ch = *p;

	c->punct++;
	s->innum = 0;
	switch (ch) {
	case '?':
		c->questions++;
		/* FALLTHROUGH */
	case '.':
	case '!':
		if ((s->last == C_LOWER || s->last == C_UPPER ||
		    s->last == C_DIGIT || s->lastch == ')') &&
		    (p + 1 == s->end || byte_class[p[1]] == C_SPACE ||
		    byte_class[p[1]] == C_NL))
			c->sentences++;
		break;
	case '{': case '}': case '[': case ']': case ';':
	case '|': case '&': case '_':
		c->code_symbols++;
		break;
	case '=': case '^': case '+': case '*': case '/':
	case '<': case '>':
		if (s->last == C_DIGIT || s->lastch == ' ' ||
		    s->last == C_UPPER || s->last == C_LOWER)
			c->math_ops++;
		if (ch == '=' || ch == '<' || ch == '>')
			c->code_symbols++;
		break;
	case '\\':
		if (p + 1 < s->end && byte_class[p[1]] == C_LOWER)
			c->latex++;
		break;
	case '$':
		c->latex++;
		break;
	default:
		break;
	}
}

/* A byte from 0x80 at p: the first byte of a character counts it. */
static inline void
scan_high(struct scan *s, const unsigned char *p)
{
	struct feature_counts	*c = s->c;
	unsigned char		 ch = *p;

	s->innum = 0;
	if (ch < 0xc0)
		return;		/* a continuation byte */
	c->nonascii++;
	if (ch >= 0xe0)
		c->wide++;
	/* U+2000-U+206F (E2 80-81 xx) is punctuation. */
	if (!(ch == 0xe2 && p + 1 < s->end && (p[1] == 0x80 || p[1] == 0x81)))
		c->foreign++;
}

/* A byte other than a letter at p, of class cls. */
static inline void
scan_other(struct scan *s, const unsigned char *p, int cls)
{
	struct feature_counts *c = s->c;

	switch (cls) {
	case C_DIGIT:
		c->digits++;
		if (!s->innum && s->last != C_UPPER && s->last != C_LOWER)
			c->words++;
		s->innum = 1;
		break;
	case C_NL:
		c->lines++;
		if (s->lastnb == ';' || s->lastnb == '{' || s->lastnb == '}')
			c->code_lines++;
		s->bol = 1;
		s->indent = 0;
		s->innum = 0;
		break;
	case C_SPACE:
		s->innum = 0;
		break;
	case C_PUNCT:
		scan_punct(s, p);
		break;
	case C_HIGH:
		scan_high(s, p);
		break;
	default:
		break;
	}
	s->last = cls;
	s->lastch = *p;
	if (cls != C_SPACE && cls != C_NL)
		s->lastnb = *p;
}

/*
 * How the counts weigh into the code and mathematics signals: a fenced
 * block counts as three code lines, four code symbols as one, a LaTeX
 * command as two mathematics words, eight digits as one.
 */
#define FENCE_WEIGHT		3
#define SYMBOLS_PER_CODE	4
#define LATEX_WEIGHT		2
#define DIGITS_PER_MATH		8
/* ASCII letters come about five to a word, foreign letters one. */
#define LETTERS_PER_WORD	5

/* Counts below this take log2(1 + n) from a table made once. */
#define LG_TABLE	256

static double lg_table[LG_TABLE];

static double
lg(size_t n)
{
	return n < LG_TABLE ? lg_table[n] : log2(1.0 + (double)n);
}

static void
lg_init(void)
{
	size_t n;

	for (n = 0; n < LG_TABLE; n++)
		lg_table[n] = log2(1.0 + (double)n);
}

/* The vector of f from its counts. */
static void
features_vector(struct features *f)
{
	const struct feature_counts *c = &f->c;

	f->tokens = features_tokens(c);
	f->v[FEAT_LENGTH] = log2(1.0 + f->tokens);
	f->v[FEAT_SENTENCES] = lg(c->sentences);
	f->v[FEAT_QUESTIONS] = lg(c->questions);
	f->v[FEAT_CODE] = lg(FENCE_WEIGHT * c->fences + c->code_lines +
	    c->code_words + c->code_symbols / SYMBOLS_PER_CODE);
	f->v[FEAT_MATH] = lg(c->math_ops + c->math_words +
	    LATEX_WEIGHT * c->latex + c->digits / DIGITS_PER_MATH);
	f->v[FEAT_REASONING] = lg(c->reasoning);
	f->v[FEAT_MULTIPART] = lg(c->list_items + c->sequencing);
	f->v[FEAT_CONSTRAINTS] = lg(c->constraints);
	f->v[FEAT_DOMAIN] = lg(c->domain);
	f->v[FEAT_SIMPLE] = lg(c->simple);
	f->v[FEAT_CHOICE] = lg(c->choices);
	if (c->foreign > 0)
		f->v[FEAT_NONENGLISH] = (double)c->foreign /
		    ((double)c->letters / LETTERS_PER_WORD + (double)c->foreign);
}

/*
 * Fill f from the len bytes of text.  Any bytes are accepted (ill-formed
 * UTF-8 counts as foreign text); the result depends on the bytes only.
 */
void
features_extract(const char *text, size_t len, struct features *f)
{
	const unsigned char	*p = (const unsigned char *)text;
	struct scan		 s = {
		.c = &f->c,
		.end = p + len,
		.bol = 1,
		.last = C_NL,
		.lastch = '\n',
		.lastnb = '\n',
	};
	int			 cls;

	if (!kw_ready) {
		class_init();
		lg_init();
		kw_init();
	}
	memset(f, 0, sizeof *f);
	f->c.bytes = len;
	if (len > 0)
		f->c.lines = 1;
	for (; p < s.end; p++) {
		cls = byte_class[*p];
		if (s.bol) {
			if (cls == C_SPACE) {
				s.indent += *p == '\t' ? TAB_WIDTH : 1;
				s.lastch = *p;
				continue;
			}
			line_start(&f->c, p, s.end, s.indent);
			s.bol = 0;
		}
		if (cls == C_UPPER || cls == C_LOWER)
			p = scan_word(&s, p);
		else
			scan_other(&s, p, cls);
	}
	if (len > 0 && f->c.sentences == 0 && f->c.words > 0)
		f->c.sentences = 1;
	features_vector(f);
}

static const char *const feature_names[FEAT_COUNT] = {
	"length", "sentences", "questions", "code", "math", "reasoning",
	"multipart", "constraints", "domain", "simple", "choice", "nonenglish"
};

/* The short name of feature id, as --explain and model files show it. */
const char *
features_name(enum feature_id id)
{
	if ((unsigned)id >= FEAT_COUNT)
		return "?";
	return feature_names[id];
}
