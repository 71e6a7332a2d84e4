/* \summary: huge-page blocks and the arena of tables carved from them (common/huge.c) */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "huge.h"
#include "unit.h"

/* Tables of many sizes, each filled with its own byte: none overlaps another (every byte
 * still holds its table's value at the end) and each is aligned. A table larger than a huge
 * page is zeroed by calloc (a check that bites under ASan, whose allocator fills fresh
 * blocks; fresh pages are zero anyway). Freeing is checked by ASan's and valgrind's leak
 * reports. */
static void test_arena_tables(void)
{
    enum { TABLES = 40 };
    static const size_t sizes[] = { 1, 63, 64, 65, 1000, 54 * 1024, 123 * 1024, 368 * 1024, 737 * 1024, 0 };
    struct fc_huge_arena arena = { 0 };
    unsigned char *table[TABLES + 1];
    size_t size[TABLES + 1];
    bool aligned = true;
    for (unsigned i = 0; i < TABLES; i++) {
        size[i] = sizes[i % (sizeof sizes / sizeof sizes[0])];
        table[i] = fc_huge_arena_alloc(&arena, size[i]);
        aligned &= (uintptr_t)table[i] % FC_HUGE_ALIGN == 0;
        memset(table[i], (int)(i + 1), size[i]);
    }
    size[TABLES] = 3 * FC_HUGE_PAGE + 5; /* larger than any block */
    table[TABLES] = fc_huge_arena_calloc(&arena, size[TABLES]);
    bool zeroed = true;
    for (size_t b = 0; b < size[TABLES]; b++)
        zeroed &= table[TABLES][b] == 0;
    memset(table[TABLES], 0xee, size[TABLES]);
    bool intact = true;
    for (unsigned i = 0; i < TABLES; i++)
        for (size_t b = 0; b < size[i]; b++)
            intact &= table[i][b] == (unsigned char)(i + 1);
    CHECK("arena_tables_are_aligned", aligned);
    CHECK("arena_tables_do_not_overlap", intact);
    CHECK("arena_calloc_zeroes_a_table_larger_than_a_huge_page", zeroed);
    fc_huge_arena_free(&arena);
}

/* A table goes into an older block that still has room, not into a new one: it lies in
 * the first block, right after the first table. */
static void test_arena_first_fit(void)
{
    struct fc_huge_arena arena = { 0 };
    unsigned char *a = fc_huge_arena_alloc(&arena, FC_HUGE_PAGE / 4 * 3); /* block 1: a quarter left */
    unsigned char *b = fc_huge_arena_alloc(&arena, FC_HUGE_PAGE / 10 * 9); /* block 2: a tenth left */
    unsigned char *c = fc_huge_arena_alloc(&arena, FC_HUGE_PAGE / 5);      /* fits only block 1 */
    CHECK("arena_fills_an_older_block_first", c == a + FC_HUGE_PAGE / 4 * 3);
    (void)b;
    fc_huge_arena_free(&arena);
}

int main(void)
{
    test_arena_tables();
    test_arena_first_fit();
    UNIT_DONE();
}
