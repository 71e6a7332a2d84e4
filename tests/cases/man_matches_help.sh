#!/usr/bin/env bash
# Every tool's -h and its man page name the same options: the set of option words
# (-x, --long) in the -h usage line and option list equals the set in the man page's
# SYNOPSIS and the tags of its OPTIONS section. A difference is printed both ways.
source "$(dirname "$0")/../lib.sh"

# option_words: reads text, prints each option word (-x, --long-name) once, sorted
option_words() {
    grep -oE '(^|[^[:alnum:]_-])--?[[:alpha:]][[:alnum:]_-]*' | sed -E 's/^[^-]*//' | sort -u
}

# help_option_words FILE: option words in a -h text: the usage line (from "Usage:", with
# its indented continuation lines) and, on each line that starts with an option, the part
# before the description (which begins after a run of two or more spaces)
help_option_words() {
    awk '
        /^[[:space:]]*[Uu]sage:/ { in_usage = 1; print; next }
        in_usage && /^[[:space:]]+[^-[:space:]]/ { print; next }
        { in_usage = 0 }
        /^[[:space:]]*-[[:alpha:]-]/ {
            line = $0; sub(/^[[:space:]]+/, "", line)
            sub(/[[:space:]][[:space:]].*$/, "", line)
            print line
        }' "$1" | option_words
}

# man_option_words FILE: option words in a man page's SYNOPSIS, and in the tags of its
# OPTIONS section (the line after .TP or .TQ, the argument of .IP); the troff escapes
# \- \f? \f(?? \f[...] \& \% are undone first
man_option_words() {
    sed -E -e 's/\\-/-/g' -e 's/\\f(\[[^]]*\]|\(..|.)//g' -e 's/\\[&%]//g' -e 's/"//g' "$1" | awk '
        /^\.SH/ { section = $0; sub(/^\.SH[[:space:]]+/, "", section); tag_next = 0; next }
        section == "SYNOPSIS" { sub(/^\.[[:alpha:]]+/, ""); print; next }
        section == "OPTIONS" {
            if ($0 ~ /^\.(TP|TQ)/) { tag_next = 1; next }
            if ($0 ~ /^\.IP/) { sub(/^\.IP/, ""); print; next }
            if (tag_next) { sub(/^\.[[:alpha:]]+/, ""); print; tag_next = 0 }
        }' | option_words
}

# compare_tool NAME PATH: one check per tool
compare_tool() {
    local name=$1 path=$2 page=$FC_ROOT/man/$1.1 rc only_help only_man
    if [ ! -e "$page" ]; then
        skip "${name}_man_page_matches_help" "man/$name.1 does not exist yet"
        return
    fi
    "$path" -h > "$TMP/$name.help" 2> "$TMP/$name.help.err"; rc=$?
    if [ $rc -ne 0 ]; then
        fail "${name}_man_page_matches_help" "$name -h exited with status $rc: $(head -c 300 "$TMP/$name.help.err")"
        return
    fi
    help_option_words "$TMP/$name.help" > "$TMP/$name.help.words"
    man_option_words "$page" > "$TMP/$name.man.words"
    if ! grep -qx -- --help "$TMP/$name.help.words"; then
        fail "${name}_man_page_matches_help" "no --help found among the option words of $name -h (extraction broken, or -h lacks its option list)"
        return
    fi
    only_help=$(comm -23 "$TMP/$name.help.words" "$TMP/$name.man.words" | tr '\n' ' ')
    only_man=$(comm -13 "$TMP/$name.help.words" "$TMP/$name.man.words" | tr '\n' ' ')
    if [ -z "$only_help$only_man" ]; then
        pass "${name}_man_page_matches_help"
    else
        fail "${name}_man_page_matches_help" "only in $name -h: [${only_help% }]; only in man/$name.1 SYNOPSIS/OPTIONS: [${only_man% }]"
    fi
}

# The comparison itself must see a difference: a page that lacks an option of -h.
printf 'Usage: demo [-a] [--beta N]\n       demo -h\nDemo, unlike fc-x --gamma.\n  -a, --alpha    first\n      --beta N   see also --gamma\n  -h, --help     usage\n' > "$TMP/demo.help"
printf '.SH SYNOPSIS\n.B demo\n.RB [ \\-a ]\n.SH OPTIONS\n.TP\n.BR \\-a ", " \\-\\-alpha\nfirst, not \\-\\-delta\n.TP\n.BR \\-h ", " \\fB\\-\\-help\\fR\nusage\n' > "$TMP/demo.1"
check_eq "option_word_extraction_reads_help_lines" "--alpha --beta --help -a -h" "$(help_option_words "$TMP/demo.help" | tr '\n' ' ' | sed 's/ $//')"
check_eq "option_word_extraction_reads_man_tags_only" "--alpha --help -a -h" "$(man_option_words "$TMP/demo.1" | tr '\n' ' ' | sed 's/ $//')"

compare_tool flowcarp "$FC_ROOT/flowcarp"
found=0
for path in "$FC_BIN"/*; do
    [ -f "$path" ] && [ -x "$path" ] || continue
    found=1
    compare_tool "$(basename "$path")" "$path"
done
[ $found -eq 1 ] || skip "stage_man_pages_match_help" "no tools in $FC_BIN yet (run make)"
