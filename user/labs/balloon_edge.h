/* balloon_edge.h: the balloon as the labs' way to run memory down to an
 * exact edge. Read first: a fill allocates with __GFP_NORETRY, which stops
 * at the min watermark without ever reaching the OOM killer, so after
 * balloon_to_edge(N) the next N pages come freely and the one after
 * enters the OOM path. The balloon holds no process's memory: it is never
 * an OOM victim, and its OOM notifier must be off (balloon.deflate_on_oom=0)
 * when a lab wants a kill rather than a deflate. */
#ifndef BALLOON_EDGE_H
#define BALLOON_EDGE_H

/* Fill the balloon until the host gets no more, then give back margin
 * pages. The balloon's size in pages, or -1 after printing why. */
long balloon_to_edge(unsigned long margin);
/* Set the balloon's target in pages (0: give everything back); 0 or -1. */
int balloon_set_pages(unsigned long pages);
/* The balloon's "size" or "oom_deflated" figure, -1 on error. */
long balloon_figure(const char *name);

#endif
