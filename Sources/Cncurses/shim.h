#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H

/* SwiftPM drops ncursesw.pc's Cflags, so curses.h would see NCURSES_WIDECHAR 0 and hide the
   wide-character API: define it here, for every build, test and editor (NCURSES.md pitfall 1). */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects mutable C globals and cannot import expression macros: one accessor each. */

/* stdscr */
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
/* COLORS */
static inline int cnc_colors(void) { return COLORS; }
/* A_BOLD */
static inline attr_t cnc_attr_bold(void) { return A_BOLD; }
/* A_REVERSE */
static inline attr_t cnc_attr_reverse(void) { return A_REVERSE; }
/* A_UNDERLINE */
static inline attr_t cnc_attr_underline(void) { return A_UNDERLINE; }
/* A_DIM */
static inline attr_t cnc_attr_dim(void) { return A_DIM; }
/* COLOR_PAIR(n) */
static inline attr_t cnc_color_pair(int n) { return COLOR_PAIR(n); }
/* nl_langinfo(CODESET) is "UTF-8" when the locale can show box characters. */
static inline int cnc_locale_is_utf8(void) {
    const char *set = nl_langinfo(CODESET);
    return set && (set[0] == 'U' || set[0] == 'u') && (set[1] == 'T' || set[1] == 't');
}

#endif
