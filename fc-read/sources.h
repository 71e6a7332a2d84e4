/* \summary: the SOURCE arguments: stdin, files, directory:MODE:PATH, and listing directories */
#ifndef FC_READ_SOURCES_H
#define FC_READ_SOURCES_H

#include <stdbool.h>

enum source_kind {
    SOURCE_PATH,       /* "-" (stdin), a capture file, or a directory (read as directory:Once) */
    SOURCE_DIRECTORY,  /* directory:Once:PATH or directory:OnceRecursive:PATH */
};

struct source_arg {
    enum source_kind kind;
    const char *path;  /* points into the argument */
    bool recursive;
};

/* Parses one SOURCE argument. On a form that is not (yet) supported, prints why and
 * returns false: a usage error, found before any output. */
bool source_arg_parse(const char *arg, struct source_arg *out);

/* Calls visit(path, ctx) for each regular file in dir, in byte order of the names;
 * with `recursive`, subdirectories are entered where their names sort, depth first
 * (symbolic links to directories are not followed, so a link loop cannot trap us).
 * false (with a message) when dir itself cannot be read; an unreadable subdirectory
 * is reported and skipped, and *had_error set. */
bool directory_each_file(const char *dir, bool recursive, void (*visit)(const char *path, void *ctx),
                         void *ctx, bool *had_error);

#endif
