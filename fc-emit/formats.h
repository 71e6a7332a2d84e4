/* \summary: the output formats fc-emit knows, one per format_*.c file */
#ifndef FC_EMIT_FORMATS_H
#define FC_EMIT_FORMATS_H

#include "emit.h"

extern const struct emit_format format_csv;       /* format_csv.c */
extern const struct emit_format format_tsv;       /* format_tsv.c */
extern const struct emit_format format_eve_json;  /* format_eve_json.c */
extern const struct emit_format format_eve_alert; /* format_eve_alert.c */
extern const struct emit_format format_eve_flow;  /* format_eve_flow.c */
extern const struct emit_format format_zeek_conn; /* format_zeek_conn.c */
extern const struct emit_format format_zeek_notice; /* format_zeek_notice.c */
extern const struct emit_format format_json;      /* format_json.c */

#endif
