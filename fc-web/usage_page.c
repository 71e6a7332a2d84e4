/* \summary: fc-web's answer to GET on its prefix: how to use the service */
#include "web.h"

#include <stdio.h>

enum MHD_Result web_usage_page(struct MHD_Connection *conn, const struct web_config *cfg)
{
    char text[2048];
    snprintf(text, sizeof text,
             "FlowCarp web service: POST a pcap or pcapng capture, get its flows and alerts.\n"
             "\n"
             "  curl --data-binary @dump.pcap %s\n"
             "  curl -F file=@dump.pcap '%s?format=ZeekConn'\n"
             "\n"
             "The body is the capture itself, or the first part of a multipart/form-data body.\n"
             "?format=NAME chooses the output: EveJson (default), EveJsonAlert, EveJsonFlow,\n"
             "ZeekConn, ZeekNotice, CSV, TSV, Json.\n"
             "Limits: %llu bytes per capture (larger: 413), %u seconds to send it (slower: 408).\n"
             "A body that is not a capture gets 400 with the reason.\n"
             "This product uses the SPID Algorithm, designed by Erik Hjelmvik.\n",
             cfg->url, cfg->url, (unsigned long long)cfg->max_body, cfg->time_limit_s);
    return web_answer_text(conn, MHD_HTTP_OK, text);
}
