/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bpf_trace_printk's formatter. The format comes from the program, so it
 * is never handed to the C library as is: each conversion is checked
 * against the kernel's accepted set (bpf_bprintf_prepare) and printed on
 * its own with a format this file builds, and %s strings are read under
 * the program's memory rules. A format the kernel refuses gets -EINVAL.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xdpc_internal.h"

#define MAX_ARGS 3u

/* Append @len bytes of output, of which @s holds the first @have (a
 * wide field is counted whole, as the kernel's return value does, but
 * only what fits the scratch buffer is kept). */
static void
put_n(char *out, size_t outlen, size_t *n, const char *s, size_t len,
      size_t have)
{
	size_t c = len < have ? len : have;

	if (outlen != 0 && *n < outlen - 1) {
		size_t room = outlen - 1 - *n;

		memcpy(out + *n, s, c < room ? c : room);
	}
	*n += len;
}

#define put(out, outlen, n, s, len) put_n(out, outlen, n, s, len, len)
#define put_tmp(out, outlen, n, tmp, len) \
	put_n(out, outlen, n, tmp, len, sizeof(tmp) - 1)

/* A string argument: bytes the program may read, up to a NUL; the
 * kernel prints an empty string when the read faults. */
static void
put_str(struct xdpc_run *r, uint64_t p, char *out, size_t outlen, size_t *n,
	const char *spec)
{
	char s[256];
	size_t i = 0;
	char tmp[300];
	int len;

	while (i < sizeof(s) - 1 &&
	       xdpc_mem_ok(r, (const void *)(uintptr_t)(p + i), 1, false,
			   r->stack_lo, r->stack_hi) &&
	       *(const char *)(uintptr_t)(p + i) != '\0') {
		s[i] = *(const char *)(uintptr_t)(p + i);
		i++;
	}
	s[i] = '\0';
	len = snprintf(tmp, sizeof(tmp), spec, s);
	if (len > 0)
		put_tmp(out, outlen, n, tmp, (size_t)len);
}

int
xdpc_bprintf(struct xdpc_run *r, const char *fmt, size_t fmt_size,
	     const uint64_t *args, char *out, size_t outlen)
{
	size_t n = 0;
	unsigned int used = 0;

	if (memchr(fmt, '\0', fmt_size) == NULL)
		return -EINVAL;
	for (size_t i = 0; fmt[i] != '\0'; i++) {
		char spec[16], tmp[64];
		size_t si = 0, start;
		int len;
		unsigned int lng = 0;

		if ((!isascii((unsigned char)fmt[i]) ||
		     !isprint((unsigned char)fmt[i])) &&
		    !isspace((unsigned char)fmt[i]))
			return -EINVAL;
		if (fmt[i] != '%') {
			put(out, outlen, &n, &fmt[i], 1);
			continue;
		}
		if (fmt[i + 1] == '%') {
			put(out, outlen, &n, "%", 1);
			i++;
			continue;
		}
		if (used == MAX_ARGS)
			return -EINVAL;
		start = i++;
		/* the kernel's "[0 +-][num]" and nothing more */
		while (fmt[i] == '0' || fmt[i] == '+' || fmt[i] == '-' ||
		       fmt[i] == ' ')
			i++;
		if (fmt[i] >= '1' && fmt[i] <= '9') {
			i++;
			while (isdigit((unsigned char)fmt[i]))
				i++;
		}
		if (i - start > 6)
			return -EINVAL; /* widths past 99999: refused here */
		memcpy(spec, &fmt[start], i - start);
		si = i - start;
		if (fmt[i] == 'p') {
			uint64_t a = args[used++];
			char c1 = fmt[i + 1];

			if ((c1 == 'k' || c1 == 'u') && fmt[i + 2] == 's') {
				i += 2;
				put_str(r, a, out, outlen, &n, "%s");
				continue;
			}
			if (c1 == '\0' || isspace((unsigned char)c1) ||
			    ispunct((unsigned char)c1) || c1 == 'K' ||
			    c1 == 'x' || c1 == 's' || c1 == 'S') {
				if (c1 == 'K' || c1 == 'x' || c1 == 's' || c1 == 'S')
					i++;
				/* the kernel hashes plain %p and prints
				 * symbols for %ps; here it is the address */
				len = snprintf(tmp, sizeof(tmp), "%016llx",
					       (unsigned long long)a);
				put_tmp(out, outlen, &n, tmp, (size_t)len);
				continue;
			}
			if ((c1 != 'i' && c1 != 'I') ||
			    (fmt[i + 2] != '4' && fmt[i + 2] != '6'))
				return -EINVAL;
			{
				uint8_t ip[16] = {0};
				size_t il = fmt[i + 2] == '4' ? 4 : 16;

				/* a fault prints zeros, as in the kernel */
				if (xdpc_mem_ok(r, (const void *)(uintptr_t)a, il,
						false, r->stack_lo, r->stack_hi))
					memcpy(ip, (const void *)(uintptr_t)a, il);
				if (il == 4) {
					len = snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u",
						       ip[0], ip[1], ip[2], ip[3]);
				} else {
					len = 0;
					for (size_t k = 0; k < 16; k += 2)
						len += snprintf(tmp + len,
							sizeof(tmp) - (size_t)len,
							c1 == 'I' && k ? ":%02x%02x" :
							"%02x%02x", ip[k], ip[k + 1]);
				}
				i += 2;
			}
			put_tmp(out, outlen, &n, tmp, (size_t)len);
			continue;
		}
		if (fmt[i] == 's' || fmt[i] == 'c') {
			spec[si++] = fmt[i];
			spec[si] = '\0';
			if (fmt[i] == 's') {
				put_str(r, args[used++], out, outlen, &n, spec);
			} else {
				len = snprintf(tmp, sizeof(tmp), spec,
					       (int)(char)args[used++]);
				put_tmp(out, outlen, &n, tmp, (size_t)len);
			}
			continue;
		}
		if (fmt[i] == 'l') {
			lng = 1;
			i++;
			if (fmt[i] == 'l')
				i++;
		}
		if (fmt[i] != 'i' && fmt[i] != 'd' && fmt[i] != 'u' &&
		    fmt[i] != 'x' && fmt[i] != 'X')
			return -EINVAL;
		spec[si++] = 'l';
		spec[si++] = 'l';
		spec[si++] = fmt[i];
		spec[si] = '\0';
		{
			uint64_t a = args[used++];
			bool sgn = fmt[i] == 'd' || fmt[i] == 'i';

			if (!lng)
				a = sgn ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
			len = sgn ? snprintf(tmp, sizeof(tmp), spec, (long long)a) :
				    snprintf(tmp, sizeof(tmp), spec,
					     (unsigned long long)a);
		}
		put_tmp(out, outlen, &n, tmp, (size_t)len);
	}
	if (outlen != 0)
		out[n < outlen ? n : outlen - 1] = '\0';
	return (int)n;
}
