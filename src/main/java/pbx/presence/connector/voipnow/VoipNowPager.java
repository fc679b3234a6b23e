package pbx.presence.connector.voipnow;

import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PollException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Pages one poll to completion, or fails it: a snapshot that silently misses extensions would make
 * the change detector report them removed.
 *
 * <p>Plain paging asks {@code count=pageSize&startIndex=0, n, 2n …} (n = entries the server actually
 * returned) until {@code totalResults} entries have arrived, or, when the server sends no
 * {@code totalResults}, until a short page. HTTP 204 means no entries.
 *
 * <p>The limit: VoipNow accepts {@code startIndex} only up to {@link VoipNowPaging#maxStartIndex()}
 * (5000), so plain paging reaches at most 5000 + one page (10,000 entries at {@code count=5000}).
 * When {@code totalResults} says more, and {@code partitionByPrefix} is on, the extensions are fetched
 * in groups by prefix ({@code filterBy=extension&filterOp=startsWith&filterValue=0}, {@code 1} …
 * {@code 9}, {@code *}), each group paged the same way and split again while it is still too big.
 * Because the filter operator is an assumption, the result is checked: every filtered answer must
 * say {@code filtered:true}, and the groups' totals must add up to the parent's total (one missing
 * entry may be the prefix itself as a whole extension number: it is fetched through the
 * single-extension path). Anything else fails the poll with a message naming the limit.
 *
 * <p>Guards: a page whose {@code startIndex} differs from the one asked for, an empty page before
 * {@code totalResults} is reached, more entries than {@code totalResults}, and more than
 * {@code maxRequests} requests fail the poll. When {@code totalResults} changes between pages
 * (extensions added or removed meanwhile) the poll starts over once, then fails.
 *
 * <p>Pages ahead: when the previous poll's {@code totalResults} says more than one page, the next
 * {@link #AHEAD} full pages of plain paging are requested while the first is still on its way, so the
 * poll waits for about one round trip instead of one per page (a change listed on page 1 reaches change
 * detection sooner; issue 13 item 3). Pages are still taken in order through every guard above; a page
 * asked for ahead is used only if it is the one the pager would have asked for next (the one before was
 * full), and otherwise dropped, and paging goes on one page at a time.
 */
final class VoipNowPager {

    /** Fetches one page: GET, 204 → {@link VoipNowPage#noContent}, else {@link VoipNowPage#parse}. */
    interface PageSource {
        VoipNowPage fetch(VoipNowQuery query);

        /** Starts fetching a page in the background; by default it is fetched at once, on the caller's thread. */
        default CompletableFuture<VoipNowPage> fetchAhead(VoipNowQuery query) {
            try {
                return CompletableFuture.completedFuture(fetch(query));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /** Pages requested ahead of the one being read, at most. */
    static final int AHEAD = 3;

    /** Characters of VoipNow extended numbers ({@code 0003*210}): what prefix groups are made of. */
    static final String ALPHABET = "0123456789*";
    static final int MAX_PREFIX_LENGTH = 32;

    private final VoipNowPaging paging;
    private final PageSource source;
    /** The previous poll's totalResults of plain paging, or null: how many pages to ask for ahead. */
    private final Integer expectedTotal;
    private int requests;

    private VoipNowPager(VoipNowPaging paging, PageSource source, Integer expectedTotal) {
        this.paging = Objects.requireNonNull(paging, "paging");
        this.source = Objects.requireNonNull(source, "source");
        this.expectedTotal = expectedTotal;
    }

    /** Every page of one complete snapshot, in request order, one page at a time. */
    static List<VoipNowPage> fetchAll(VoipNowPaging paging, PageSource source) {
        return fetchAll(paging, source, null);
    }

    /**
     * Every page of one complete snapshot, in request order; with {@code expectedTotal} (the previous
     * poll's {@link #plainTotal}) the pages after the first are asked for ahead.
     */
    static List<VoipNowPage> fetchAll(VoipNowPaging paging, PageSource source, Integer expectedTotal) {
        VoipNowPager pager = new VoipNowPager(paging, source, expectedTotal);
        try {
            return pager.collect();
        } catch (TotalChanged first) {
            try {
                return pager.collect();
            } catch (TotalChanged again) {
                throw new PollException(again.getMessage() + ", twice in one poll: extensions are being added or"
                        + " removed while paging; the next poll tries again");
            }
        }
    }

    /** The totalResults of plain paging in pages {@link #fetchAll} returned (its first page), or null. */
    static Integer plainTotal(List<VoipNowPage> pages) {
        return pages.isEmpty() ? null : pages.get(0).totalResults();
    }

    private List<VoipNowPage> collect() {
        Range all = pageThrough(null, expectedTotal);
        if (all.complete) {
            return all.pages;
        }
        String where = "GET " + VoipNowQuery.page(paging.userId(), paging.extension(), 0, paging.pageSize(), null, null).pathAndQuery();
        String limit = where + ": " + (all.total == null ? "more" : all.total) + " extensions, but VoipNow pages only up to startIndex "
                + paging.maxStartIndex() + " (" + paging.reach(paging.pageSize()) + " entries at count=" + paging.pageSize() + ")";
        if (all.total == null) {
            throw new PollException(limit + ", and the server sends no totalResults to check a split by prefix against:"
                    + " the poll fails rather than miss extensions; poll several smaller userId scopes instead");
        }
        if (!paging.partitionByPrefix()) {
            throw new PollException(limit + "; partitionByPrefix is off, so the poll fails rather than miss extensions:"
                    + " turn it on, raise pageSize (at most " + VoipNowPaging.MAX_COUNT + "), or poll several smaller userId scopes");
        }
        List<VoipNowPage> out = new ArrayList<>();
        partition("", all.total, out);
        return out;
    }

    /** Fetches the groups {@code prefix + c} for every c in {@link #ALPHABET}; checks they add up to {@code expected}. */
    private void partition(String prefix, int expected, List<VoipNowPage> out) {
        if (prefix.length() >= MAX_PREFIX_LENGTH) {
            throw new PollException("VoipNow: more than " + paging.reach(paging.pageSize()) + " extensions start with '"
                    + prefix + "': splitting by prefix cannot get below the paging limit");
        }
        long found = 0;
        for (char c : ALPHABET.toCharArray()) {
            String child = prefix + c;
            Range r = pageThrough(child, null);
            if (r.complete) {
                out.addAll(r.pages);
            } else if (r.total == null) {
                throw new PollException(r.lastLabel() + ": the server sends no totalResults; a split by prefix cannot be checked");
            } else {
                partition(child, r.total, out);
            }
            found += r.total;
        }
        long missing = expected - found;
        if (missing == 1 && !prefix.isEmpty() && fetchExact(prefix, out)) {
            return;
        }
        if (missing != 0) {
            throw new PollException("VoipNow: " + expected + " extensions " + (prefix.isEmpty() ? "in all" : "start with '" + prefix + "'")
                    + ", but the groups filterOp=" + paging.prefixFilterOp() + " '" + prefix + "0' … '" + prefix + "*' hold " + found
                    + ": extension numbers with other characters than " + ALPHABET + ", or a filterOp that is not a prefix match"
                    + " (set prefixFilterOp); the poll fails rather than miss extensions");
        }
    }

    /** The prefix may itself be an extension number (in its group, but in no longer group). */
    private boolean fetchExact(String number, List<VoipNowPage> out) {
        VoipNowPage page;
        try {
            page = get(VoipNowQuery.single(paging.userId(), number));
        } catch (PollException e) {
            return false;
        }
        if (page.entries().size() == 1 && number.equals(LenientJson.text(page.entries().get(0).get("extension")))) {
            out.add(page);
            return true;
        }
        return false;
    }

    /**
     * Plain paging of one group (prefix null: no filter) until complete or until startIndex would pass
     * the limit; with {@code expectedTotal}, full pages up to it are asked for ahead.
     */
    private Range pageThrough(String prefix, Integer expectedTotal) {
        Ahead ahead = new Ahead(prefix, expectedTotal);
        try {
            return pageInTurn(prefix, ahead);
        } finally {
            ahead.drop();
        }
    }

    private Range pageInTurn(String prefix, Ahead ahead) {
        List<VoipNowPage> pages = new ArrayList<>();
        Integer total = null;
        int got = 0;
        int start = 0;
        while (true) {
            if (start > paging.maxStartIndex()) {
                return new Range(false, total, pages);
            }
            VoipNowPage page = ahead.take(start);
            if (page == null) {
                page = get(query(start, prefix));
            }
            String where = page.label();
            if (prefix != null && Boolean.FALSE.equals(page.filtered())) {
                throw new PollException(where + ": the server answered filtered=false, it ignored filterOp="
                        + paging.prefixFilterOp() + "; set prefixFilterOp to its prefix operator, or partitionByPrefix=false");
            }
            if (page.startIndex() != null && page.startIndex() != start) {
                throw new PollException(where + ": asked for startIndex " + start + ", the server answered startIndex "
                        + page.startIndex() + " (it does not page as documented)");
            }
            if (page.totalResults() != null) {
                if (total == null && start > 0) {
                    throw new TotalChanged(where + ": totalResults appeared on a later page");
                }
                if (total != null && !total.equals(page.totalResults())) {
                    throw new TotalChanged(where + ": totalResults changed from " + total + " to " + page.totalResults());
                }
                total = page.totalResults();
            }
            pages.add(page);
            int n = page.entries().size();
            got += n;
            if (total != null) {
                if (got > total) {
                    throw new PollException(where + ": " + got + " entries arrived, more than totalResults " + total);
                }
                if (got == total) {
                    return new Range(true, total, pages);
                }
                if (n == 0) {
                    throw new PollException(where + ": no entries, although totalResults is " + total + " and only " + got
                            + " arrived; the snapshot would be incomplete");
                }
                if (start == 0 && total > paging.reach(n)) {
                    return new Range(false, total, pages); // cannot be reached by paging: decide now, not after 5000 entries
                }
            } else {
                int expected = page.itemsPerPage() != null && page.itemsPerPage() > 0
                        ? Math.min(page.itemsPerPage(), paging.pageSize()) : paging.pageSize();
                if (n < expected) {
                    return new Range(true, got, pages);
                }
            }
            start += n;
        }
    }

    private VoipNowQuery query(int start, String prefix) {
        return VoipNowQuery.page(paging.userId(), paging.extension(), start, paging.pageSize(), paging.prefixFilterOp(), prefix);
    }

    /**
     * The pages of one group asked for ahead, in order: the ones at {@code pageSize}, {@code 2 pageSize} …
     * below the expected total and within the startIndex limit, at most {@link #AHEAD} at a time.
     */
    private final class Ahead {
        private final String prefix;
        private final int expectedTotal;
        private final Deque<Asked> asked = new ArrayDeque<>();
        private int next;

        /** One page asked for ahead: where it starts, and its answer to come. */
        private record Asked(int start, CompletableFuture<VoipNowPage> page) {
        }

        Ahead(String prefix, Integer expectedTotal) {
            this.prefix = prefix;
            // none when plain paging is not expected to reach the end (then the pager splits by prefix)
            this.expectedTotal = expectedTotal == null || expectedTotal > paging.reach(paging.pageSize()) ? 0 : expectedTotal;
            this.next = paging.pageSize();
            while (asked.size() < AHEAD && launch()) {
                // fill the window
            }
        }

        /** Asks for the next full page if it is expected and the request budget allows; false when not. */
        private boolean launch() {
            if (next >= expectedTotal || next > paging.maxStartIndex() || requests + 1 > paging.maxRequests()) {
                return false;
            }
            requests++;
            asked.addLast(new Asked(next, source.fetchAhead(query(next, prefix))));
            next += paging.pageSize();
            return true;
        }

        /** The page at {@code start} if it was asked for ahead (then the window moves on); else null, and nothing more is asked ahead. */
        VoipNowPage take(int start) {
            if (start == 0 || asked.isEmpty()) {
                return null;
            }
            if (asked.peekFirst().start() != start) {
                drop(); // a short page moved the starts: the rest goes one page at a time
                return null;
            }
            CompletableFuture<VoipNowPage> page = asked.removeFirst().page();
            launch();
            try {
                return page.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }

        /** Forgets whatever was asked for ahead and not taken. */
        void drop() {
            asked.forEach(a -> a.page().cancel(true));
            asked.clear();
            next = Integer.MAX_VALUE;
        }
    }

    private VoipNowPage get(VoipNowQuery query) {
        if (++requests > paging.maxRequests()) {
            throw new PollException("GET " + query.pathAndQuery() + ": gave up after " + paging.maxRequests()
                    + " requests in one poll (maxRequests): the server never finishes paging");
        }
        return source.fetch(query);
    }

    /** One group's paging: complete, or stopped at the startIndex limit. {@code total} is the count when complete. */
    private record Range(boolean complete, Integer total, List<VoipNowPage> pages) {
        String lastLabel() {
            return pages.isEmpty() ? "VoipNow" : pages.get(pages.size() - 1).label();
        }
    }

    /** totalResults moved while paging: the pages do not form one snapshot. */
    private static final class TotalChanged extends RuntimeException {
        TotalChanged(String message) {
            super(message, null, false, false);
        }
    }
}
