/* \summary: the output formats fc-emit knows, one per format_*.c file */
#ifndef FC_EMIT_FORMATS_H
#define FC_EMIT_FORMATS_H

#include "emit.h"

extern const struct emit_format format_csv;       /* format_csv.c */
extern const struct emit_format format_tsv;       /* format_tsv.c */
extern const struct emit_format format_eve_flow;  /* format_eve_flow.c */
extern const struct emit_format format_zeek_conn; /* format_zeek_conn.c */
extern const struct emit_format format_json;      /* format_json.c */

#endif
