/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file text.c
 * @brief The decoder's printer: one arrowed, indented line per item, wire bytes escaped, lists wrapped.
 */
#include <stdarg.h>
#include <string.h>

#include "decoder.h"

int decoder_printing(const struct record_decoder *d)
{
    return d->out != NULL && !d->quiet;
}

void decoder_emit(const struct record_decoder *d, int depth, const char *fmt, ...)
{
    va_list ap;

    if (!decoder_printing(d)) {
        return;
    }
    fprintf(d->out, "  %c %*s", d->dir == TLS_DIR_CLIENT_TO_SERVER ? '>' : '<', depth * 2, "");
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}

void sb_init(struct sbuf *sb, char *buf, size_t cap)
{
    sb->buf = buf;
    sb->cap = cap;
    sb->len = 0;
    buf[0] = '\0';
}

void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (sb->len + 1 >= sb->cap) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->buf[sb->len] = '\0';
        return;
    }
    sb->len += (size_t) n < sb->cap - sb->len ? (size_t) n : sb->cap - sb->len - 1;
}

void sb_escaped(struct sbuf *sb, const unsigned char *p, size_t n, size_t max_in)
{
    for (size_t i = 0; i < n; i++) {
        char piece[5];
        size_t piece_len;

        if (i == max_in) {
            sb_printf(sb, "...");
            return;
        }
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
            piece[0] = (char) p[i];
            piece[1] = '\0';
            piece_len = 1;
        } else {
            snprintf(piece, sizeof piece, "\\x%02x", p[i]);
            piece_len = 4;
        }
        if (sb->len + piece_len + 1 > sb->cap) {
            return; /* never cut an escape sequence in half */
        }
        memcpy(sb->buf + sb->len, piece, piece_len + 1);
        sb->len += piece_len;
    }
}

void list_begin(struct list_printer *lp, const struct record_decoder *d, int depth, const char *label)
{
    lp->d = d;
    lp->depth = depth;
    lp->items = 0;
    sb_init(&lp->sb, lp->line, sizeof lp->line);
    sb_printf(&lp->sb, "%s", label);
    lp->indent = lp->sb.len < 40 ? lp->sb.len : 40;
}

void list_add(struct list_printer *lp, const char *item)
{
    size_t used = 4 + (size_t) lp->depth * 2 + lp->sb.len;

    if (lp->items > 0 && used + 2 + strlen(item) > WRAP_COLUMN) {
        sb_printf(&lp->sb, ",");
        decoder_emit(lp->d, lp->depth, "%s", lp->line);
        sb_init(&lp->sb, lp->line, sizeof lp->line);
        sb_printf(&lp->sb, "%*s", (int) lp->indent, "");
    } else if (lp->items > 0) {
        sb_printf(&lp->sb, ", ");
    }
    sb_printf(&lp->sb, "%s", item);
    lp->items++;
}

void list_end(struct list_printer *lp)
{
    if (lp->items == 0) {
        sb_printf(&lp->sb, "(none)");
    }
    decoder_emit(lp->d, lp->depth, "%s", lp->line);
}

const char *name_or_hex(const char *name, unsigned value, char *buf, size_t cap)
{
    if (name != NULL) {
        return name;
    }
    snprintf(buf, cap, "0x%04x", value);
    return buf;
}
