/*
 * banned.h: C library functions llmroute does not use, made compile
 * errors, as git's banned.h does.  Each is easy to misuse: no bound on
 * the destination (strcpy, strcat, sprintf, gets), a bound that does not
 * NUL-terminate or silently truncates (strncpy, strncat), hidden state
 * (strtok, strtok_r, gmtime, localtime, ctime, asctime), no error report
 * (atoi, atol, atof: use num.h), or a predictable name (mktemp, tmpnam:
 * use mkstemp).  Include it last, after every system header.
 */
#ifndef LLMROUTE_BANNED_H
#define LLMROUTE_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) BANNED(strtok_r)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef atoi
#define atoi(s) BANNED(atoi)
#undef atol
#define atol(s) BANNED(atol)
#undef atof
#define atof(s) BANNED(atof)
#undef mktemp
#define mktemp(s) BANNED(mktemp)
#undef tmpnam
#define tmpnam(s) BANNED(tmpnam)

#endif
