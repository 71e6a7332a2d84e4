/* \summary: EveJson: Suricata Eve alert events as verdicts arrive, and flow events as flows end (FORMATS.md §4) */
#include "emit.h"
#include "formats.h"

/* An alerting flow gives its alert line first (when the verdict is made) and its flow
 * line later (when the flow ends); both carry the same flow_id and community_id. */
const struct emit_format format_eve_json = {
    .name = "EveJson",
    .summary = "Suricata Eve JSON, alert events and flow events",
    .alert = eve_alert_line,
    .flow = eve_flow_line,
};
