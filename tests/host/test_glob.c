/* Host tests for kernel/glob.c, which picks test suites with ktest=GLOB.
 * Read first: each case pairs globs with names that must and must not match,
 * so a matcher that says "yes" (or "no") to everything fails. */
#include "kernel/glob.h"
#include "tests/host/hosttest.h"
#include <stdlib.h>

static void glob_literal_pattern_matches_only_itself(void)
{
	HT_EXPECT(glob_match("oom_kill", "oom_kill"));
	HT_EXPECT(!glob_match("oom_kill", "oom_kil"));
	HT_EXPECT(!glob_match("oom_kill", "oom_killer"));
	HT_EXPECT(glob_match("", ""));
	HT_EXPECT(!glob_match("", "a"));
}

static void glob_star_matches_any_run_including_empty(void)
{
	HT_EXPECT(glob_match("oom*", "oom"));
	HT_EXPECT(glob_match("oom*", "oom_reaper"));
	HT_EXPECT(glob_match("*", ""));
	HT_EXPECT(glob_match("*reaper", "oom_reaper"));
	HT_EXPECT(!glob_match("*reaper", "oom_reaper_x"));
	HT_EXPECT(glob_match("a**b", "ab"));
}

static void glob_star_backtracks_to_find_a_later_match(void)
{
	HT_EXPECT(glob_match("a*b*c", "aXbYbZc"));
	HT_EXPECT(glob_match("*ab", "aaab"));
	HT_EXPECT(glob_match("*a*b", "xaxxab"));
	HT_EXPECT(!glob_match("a*b*c", "aXbYbZ"));
	HT_EXPECT(glob_match("*?c", "abc"));
}

static void glob_question_mark_matches_exactly_one_character(void)
{
	HT_EXPECT(glob_match("mm_?", "mm_a"));
	HT_EXPECT(!glob_match("mm_?", "mm_"));
	HT_EXPECT(!glob_match("mm_?", "mm_ab"));
	HT_EXPECT(glob_match("???", "abc"));
}

static void glob_class_matches_ranges_and_lists(void)
{
	HT_EXPECT(glob_match("seed[1-5]", "seed3"));
	HT_EXPECT(!glob_match("seed[1-5]", "seed6"));
	HT_EXPECT(glob_match("[abc]x", "bx"));
	HT_EXPECT(!glob_match("[abc]x", "dx"));
	HT_EXPECT(glob_match("[a-cx-z]", "y"));
	HT_EXPECT(glob_match("[]]", "]"));
	HT_EXPECT(glob_match("[a-]", "-"));
}

static void glob_class_negation_accepts_bang_and_caret(void)
{
	HT_EXPECT(glob_match("[!0-9]x", "ax"));
	HT_EXPECT(!glob_match("[!0-9]x", "5x"));
	HT_EXPECT(glob_match("[^0-9]x", "ax"));
	HT_EXPECT(!glob_match("[^0-9]x", "5x"));
	HT_EXPECT(!glob_match("[!a]", ""));
}

static void glob_unclosed_bracket_is_an_ordinary_character(void)
{
	HT_EXPECT(glob_match("a[b", "a[b"));
	HT_EXPECT(!glob_match("a[b", "ab"));
	HT_EXPECT(glob_match("[", "["));
}

static void glob_backslash_makes_the_next_character_literal(void)
{
	HT_EXPECT(glob_match("a\\*", "a*"));
	HT_EXPECT(!glob_match("a\\*", "ab"));
	HT_EXPECT(glob_match("a\\", "a\\"));
}

static void glob_list_matches_when_any_item_matches(void)
{
	HT_EXPECT(glob_match_list("page_alloc,oom*", "oom_reaper"));
	HT_EXPECT(glob_match_list("page_alloc,oom*", "page_alloc"));
	HT_EXPECT(!glob_match_list("page_alloc,oom*", "page_allocx"));
	HT_EXPECT(!glob_match_list("page_alloc,oom*", "slab"));
	HT_EXPECT(!glob_match_list("", "slab"));
	HT_EXPECT(glob_match_list("a,,b", ""));
}

static void glob_pathological_pattern_finishes_quickly(void)
{
	size_t len = 10000;
	char *s = malloc(len + 1);

	HT_ASSERT(s != NULL);
	memset(s, 'a', len);
	s[len] = '\0';
	/* Exponential with naive recursion; linear-ish here. */
	HT_EXPECT(!glob_match("*a*a*a*a*a*a*a*a*b", s));
	HT_EXPECT(glob_match("*a*a*a*a*a*a*a*a*a", s));
	free(s);
}

static const struct ht_case cases[] = {
	HT_CASE(glob_literal_pattern_matches_only_itself),
	HT_CASE(glob_star_matches_any_run_including_empty),
	HT_CASE(glob_star_backtracks_to_find_a_later_match),
	HT_CASE(glob_question_mark_matches_exactly_one_character),
	HT_CASE(glob_class_matches_ranges_and_lists),
	HT_CASE(glob_class_negation_accepts_bang_and_caret),
	HT_CASE(glob_unclosed_bracket_is_an_ordinary_character),
	HT_CASE(glob_backslash_makes_the_next_character_literal),
	HT_CASE(glob_list_matches_when_any_item_matches),
	HT_CASE(glob_pathological_pattern_finishes_quickly),
};

int main(void)
{
	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
