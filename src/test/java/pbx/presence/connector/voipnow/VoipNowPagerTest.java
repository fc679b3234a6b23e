package pbx.presence.connector.voipnow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.PollException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paging logic against an in-memory server that can misbehave in the ways a real one might:
 * capped pages, no totalResults, ignored filters or startIndex, totals that move, pages that never end.
 */
class VoipNowPagerTest {

    /** Pages as VoipNow does (count, startIndex ≤ maxStartIndex, filterBy=extension), with switchable faults. */
    private static class FakeServer implements VoipNowPager.PageSource {
        final List<String> extensions;
        int maxStartIndex = 5000;
        int cap = Integer.MAX_VALUE;
        boolean sendTotals = true;
        boolean ignoreFilter;
        boolean filterIsContains;
        boolean ignoreStartIndex;
        /** Added to totalResults on request n (0-based) while below this many requests. */
        int inflateTotalUntilRequest;
        /** A page start that answers HTTP 500, or -1. */
        int failAt = -1;
        final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

        FakeServer(List<String> extensions) {
            this.extensions = extensions;
        }

        @Override
        public VoipNowPage fetch(VoipNowQuery q) {
            String label = "GET " + q.pathAndQuery();
            requests.add(q.pathAndQuery());
            if (q.count() == null) {
                if (!extensions.contains(q.extension())) {
                    throw new PollException(label + ": HTTP 400: extension_invalid: no such extension");
                }
                return page(label, 0, 1, 1, List.of(q.extension()), null);
            }
            if (q.startIndex() > maxStartIndex) {
                throw new PollException(label + ": HTTP 400: startindex_invalid: too large");
            }
            if (q.startIndex() == failAt) {
                throw new PollException(label + ": HTTP 500: internal: try later");
            }
            List<String> selected = extensions;
            Boolean filtered = null;
            if (q.filterValue() != null && !ignoreFilter) {
                String v = q.filterValue();
                selected = extensions.stream().filter(e -> filterIsContains ? e.contains(v) : e.startsWith(v)).toList();
                filtered = true;
            } else if (q.filterValue() != null) {
                filtered = false;
            }
            if (selected.isEmpty()) {
                return VoipNowPage.noContent(label);
            }
            int start = ignoreStartIndex ? 0 : q.startIndex();
            int n = Math.min(q.count(), cap);
            List<String> slice = selected.subList(Math.min(start, selected.size()), Math.min(selected.size(), start + n));
            int total = selected.size() + (requests.size() <= inflateTotalUntilRequest ? requests.size() : 0);
            return page(label, start, sendTotals ? total : null, n, slice, filtered);
        }

        private VoipNowPage page(String label, int start, Integer total, int perPage, List<String> slice, Boolean filtered) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("startIndex", start);
            if (total != null) {
                o.put("totalResults", total);
            }
            o.put("itemsPerPage", perPage);
            if (filtered != null) {
                o.put("filtered", filtered);
            }
            ArrayNode entry = o.putArray("entry");
            for (String e : slice) {
                entry.addObject().put("extension", e).put("status", 1)
                        .putArray("registration").addObject().put("registration", "1").put("agent", "phone " + e);
            }
            return VoipNowPage.parse(o.toString().getBytes(StandardCharsets.UTF_8), label);
        }
    }

    private static List<String> numbers(String prefix, int from, int toExclusive) {
        return IntStream.range(from, toExclusive).mapToObj(i -> prefix + i).toList();
    }

    private static VoipNowPaging paging(int pageSize, int maxStartIndex) {
        return VoipNowPaging.defaults().withPageSize(pageSize).withMaxStartIndex(maxStartIndex);
    }

    private static List<String> fetched(List<VoipNowPage> pages) {
        return new VoipNowTranslator("t").translate(new VoipNowPayload(pages), Instant.EPOCH).stream()
                .map(ExtensionPresence::extension).toList();
    }

    @Test
    void pagesUntilTotalResults() {
        FakeServer server = new FakeServer(numbers("", 200, 245));
        List<VoipNowPage> pages = VoipNowPager.fetchAll(paging(20, 5000), server);
        assertEquals(numbers("", 200, 245), fetched(pages));
        assertEquals(List.of(
                "/uapi/extensions/@me/@self/presence?count=20&startIndex=0",
                "/uapi/extensions/@me/@self/presence?count=20&startIndex=20",
                "/uapi/extensions/@me/@self/presence?count=20&startIndex=40"), server.requests);
    }

    @Test
    void advancesByWhatTheServerReallyServed() {
        FakeServer server = new FakeServer(numbers("", 200, 245));
        server.cap = 10;
        assertEquals(numbers("", 200, 245), fetched(VoipNowPager.fetchAll(paging(20, 5000), server)));
        assertEquals(5, server.requests.size());
    }

    @Test
    void withoutTotalResultsAShortPageEnds() {
        FakeServer server = new FakeServer(numbers("", 200, 240));
        server.sendTotals = false;
        assertEquals(numbers("", 200, 240), fetched(VoipNowPager.fetchAll(paging(20, 5000), server)));
        assertEquals(3, server.requests.size(), "the third page is empty, which ends it");
    }

    @Test
    void noContentIsNoExtensions() {
        FakeServer server = new FakeServer(List.of());
        assertEquals(List.of(), fetched(VoipNowPager.fetchAll(paging(20, 5000), server)));
        assertEquals(1, server.requests.size());
    }

    @Test
    void beyondTheStartIndexLimitWithoutPartitioningFailsNamingTheLimit() {
        FakeServer server = new FakeServer(numbers("", 1000, 1100));
        server.maxStartIndex = 40;
        PollException e = assertThrows(PollException.class,
                () -> VoipNowPager.fetchAll(paging(20, 40).withPartitionByPrefix(false), server));
        assertEquals("GET /uapi/extensions/@me/@self/presence?count=20&startIndex=0: 100 extensions, but VoipNow pages only up to"
                + " startIndex 40 (60 entries at count=20); partitionByPrefix is off, so the poll fails rather than miss"
                + " extensions: turn it on, raise pageSize (at most 5000), or poll several smaller userId scopes", e.getMessage());
        assertEquals(1, server.requests.size(), "decided on the first page, not after paging up to the limit");
    }

    @Test
    void beyondTheLimitGroupsByPrefixRecursivelyAndFetchesAPrefixThatIsItselfAnExtension() {
        List<String> all = new ArrayList<>();
        all.add("0003*1");                           // a prefix that is also a whole number
        all.addAll(numbers("0003*", 100, 200));      // 101 start with 0003*1: more than 60, split again
        all.addAll(numbers("0003*", 2000, 2050));    // 50 start with 0003*2: one group
        FakeServer server = new FakeServer(all);
        server.maxStartIndex = 40;
        List<String> got = fetched(VoipNowPager.fetchAll(paging(20, 40), server));
        assertEquals(all.size(), got.size());
        assertEquals(new HashSet<>(all), new HashSet<>(got));
        assertTrue(server.requests.contains("/uapi/extensions/@me/@self/presence?count=20&startIndex=0"
                + "&filterBy=extension&filterOp=startsWith&filterValue=0003*1"), server.requests.toString());
        assertTrue(server.requests.contains("/uapi/extensions/@me/0003*1/presence"), "the exact number fetched on its own");
        assertTrue(server.requests.stream().noneMatch(r -> r.contains("startIndex=60")), "never past the limit");
    }

    @Test
    void aServerThatIgnoresTheFilterIsDetected() {
        FakeServer server = new FakeServer(numbers("", 1000, 1100));
        server.maxStartIndex = 40;
        server.ignoreFilter = true;
        PollException e = assertThrows(PollException.class, () -> VoipNowPager.fetchAll(paging(20, 40), server));
        assertTrue(e.getMessage().contains("filterValue=0: the server answered filtered=false, it ignored filterOp=startsWith"),
                e.getMessage());
    }

    @Test
    void aFilterThatIsNotAPrefixMatchDoesNotAddUp() {
        FakeServer server = new FakeServer(numbers("", 1000, 1100));
        server.maxStartIndex = 40;
        server.filterIsContains = true;
        PollException e = assertThrows(PollException.class, () -> VoipNowPager.fetchAll(paging(20, 40), server));
        assertTrue(e.getMessage().matches("VoipNow: \\d+ extensions (in all|start with '\\d+'), but the groups filterOp=startsWith .*"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the poll fails rather than miss extensions"), e.getMessage());
    }

    @Test
    void numbersWithCharactersOutsideTheAlphabetDoNotAddUp() {
        List<String> all = new ArrayList<>(numbers("", 1000, 1090));
        all.addAll(numbers("#", 1, 11));
        FakeServer server = new FakeServer(all);
        server.maxStartIndex = 40;
        PollException e = assertThrows(PollException.class, () -> VoipNowPager.fetchAll(paging(20, 40), server));
        assertTrue(e.getMessage().contains("100 extensions in all, but the groups filterOp=startsWith '0' … '*' hold 90"), e.getMessage());
    }

    @Test
    void aServerThatIgnoresStartIndexIsDetected() {
        FakeServer server = new FakeServer(numbers("", 200, 245));
        server.ignoreStartIndex = true;
        PollException e = assertThrows(PollException.class, () -> VoipNowPager.fetchAll(paging(20, 5000), server));
        assertEquals("GET /uapi/extensions/@me/@self/presence?count=20&startIndex=20: asked for startIndex 20, the server answered"
                + " startIndex 0 (it does not page as documented)", e.getMessage());
    }

    @Test
    void aServerThatRepeatsEntriesIsCaughtByTheTranslator() {
        FakeServer server = new FakeServer(numbers("", 200, 240)) {
            @Override
            public VoipNowPage fetch(VoipNowQuery q) {
                // echoes the startIndex asked for, but always serves the first entries
                VoipNowPage first = super.fetch(new VoipNowQuery(q.userId(), q.extension(), 0, q.count(), q.filterOp(), q.filterValue()));
                return new VoipNowPage(first.label(), q.startIndex(), first.totalResults(), first.itemsPerPage(), first.filtered(),
                        first.entries());
            }
        };
        List<VoipNowPage> pages = VoipNowPager.fetchAll(paging(20, 5000), server);
        PayloadException e = assertThrows(PayloadException.class, () -> fetched(pages));
        assertTrue(e.getMessage().contains("extension 200 occurs twice"), e.getMessage());
    }

    @Test
    void aServerThatNeverEndsIsCutOffByMaxRequests() {
        FakeServer server = new FakeServer(numbers("", 100000, 200000));
        server.sendTotals = false;
        server.maxStartIndex = Integer.MAX_VALUE;
        PollException e = assertThrows(PollException.class,
                () -> VoipNowPager.fetchAll(paging(20, Integer.MAX_VALUE).withMaxRequests(7), server));
        assertEquals("GET /uapi/extensions/@me/@self/presence?count=20&startIndex=140: gave up after 7 requests in one poll"
                + " (maxRequests): the server never finishes paging", e.getMessage());
        assertEquals(7, server.requests.size());
    }

    @Test
    void beyondTheLimitWithoutTotalResultsFailsClearly() {
        FakeServer server = new FakeServer(numbers("", 1000, 1100));
        server.sendTotals = false;
        server.maxStartIndex = 40;
        PollException e = assertThrows(PollException.class, () -> VoipNowPager.fetchAll(paging(20, 40), server));
        assertTrue(e.getMessage().contains("more extensions, but VoipNow pages only up to startIndex 40"), e.getMessage());
        assertTrue(e.getMessage().contains("sends no totalResults"), e.getMessage());
    }

    @Test
    void aTotalThatMovesOnceStartsThePollOverAndTwiceFailsIt() {
        FakeServer once = new FakeServer(numbers("", 200, 245));
        once.inflateTotalUntilRequest = 2; // requests 1 and 2 see a different total each
        assertEquals(numbers("", 200, 245), fetched(VoipNowPager.fetchAll(paging(20, 5000), once)));

        FakeServer always = new FakeServer(numbers("", 200, 245));
        always.inflateTotalUntilRequest = Integer.MAX_VALUE;
        PollException e = assertThrows(PollException.class, () -> VoipNowPager.fetchAll(paging(20, 5000), always));
        assertTrue(e.getMessage().contains("totalResults changed from"), e.getMessage());
        assertTrue(e.getMessage().endsWith("twice in one poll: extensions are being added or removed while paging; the next poll tries again"),
                e.getMessage());
    }

    @Test
    void anEmptyPageBeforeTheTotalFails() {
        FakeServer server = new FakeServer(numbers("", 200, 245)) {
            @Override
            public VoipNowPage fetch(VoipNowQuery q) {
                VoipNowPage p = super.fetch(q);
                return q.startIndex() == 20 ? new VoipNowPage(p.label(), 20, p.totalResults(), 20, null, List.of()) : p;
            }
        };
        PollException e = assertThrows(PollException.class, () -> VoipNowPager.fetchAll(paging(20, 5000), server));
        assertTrue(e.getMessage().endsWith("startIndex=20: no entries, although totalResults is 45 and only 20 arrived;"
                + " the snapshot would be incomplete"), e.getMessage());
    }

    // ---- pages asked for ahead (the previous poll's totalResults as the hint) ----

    private static final String PAGE = "/uapi/extensions/@me/@self/presence?count=20&startIndex=";

    @Test
    void pagesAskedForAheadMakeTheSameSnapshotInTheSameOrder() {
        FakeServer plain = new FakeServer(numbers("", 200, 345));
        List<String> expected = fetched(VoipNowPager.fetchAll(paging(20, 5000), plain));
        FakeServer server = new FakeServer(numbers("", 200, 345));
        List<VoipNowPage> pages = VoipNowPager.fetchAll(paging(20, 5000), server, 145);
        assertEquals(expected, fetched(pages));
        assertEquals(145, VoipNowPager.plainTotal(pages));
        assertEquals(new HashSet<>(plain.requests), new HashSet<>(server.requests), "the same eight pages, each asked for once");
        assertEquals(8, server.requests.size());
    }

    @Test
    void thePagesAheadAreInFlightWhileTheFirstIsFetched() throws Exception {
        CountDownLatch aheadAsked = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(VoipNowPager.AHEAD);
        try {
            FakeServer server = new FakeServer(numbers("", 200, 260)) {
                @Override
                public VoipNowPage fetch(VoipNowQuery q) {
                    if (q.startIndex() == 0) {
                        try {
                            assertTrue(aheadAsked.await(5, TimeUnit.SECONDS), "page 2 was not asked for while page 1 was on its way");
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return super.fetch(q);
                }

                @Override
                public CompletableFuture<VoipNowPage> fetchAhead(VoipNowQuery q) {
                    return CompletableFuture.supplyAsync(() -> {
                        aheadAsked.countDown();
                        return fetch(q);
                    }, threads);
                }
            };
            assertEquals(numbers("", 200, 260), fetched(VoipNowPager.fetchAll(paging(20, 5000), server, 60)));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aShortPageDropsWhatWasAskedForAheadAndPagingGoesOnOneByOne() {
        FakeServer server = new FakeServer(numbers("", 200, 245));
        server.cap = 10; // every page holds 10, not the 20 asked for: the starts move
        assertEquals(numbers("", 200, 245), fetched(VoipNowPager.fetchAll(paging(20, 5000), server, 45)));
        List<String> read = server.requests.stream().filter(r -> !r.equals(PAGE + "20") && !r.equals(PAGE + "40")).toList();
        assertEquals(List.of(PAGE + "0", PAGE + "10", PAGE + "30"), read.subList(0, 3), server.requests.toString());
        assertEquals(List.of(PAGE + "40"), server.requests.subList(server.requests.size() - 1, server.requests.size()),
                "after the dropped pages every page is asked for in turn");
    }

    @Test
    void aFailedPageAheadFailsThePollAsTheSamePageFetchedInTurnWould() {
        FakeServer server = new FakeServer(numbers("", 200, 260));
        server.failAt = 40;
        PollException e = assertThrows(PollException.class, () -> VoipNowPager.fetchAll(paging(20, 5000), server, 60));
        assertEquals("GET " + PAGE + "40: HTTP 500: internal: try later", e.getMessage());
    }

    @Test
    void nothingIsAskedForAheadWhenPlainPagingCannotReachTheEnd() {
        FakeServer server = new FakeServer(numbers("", 200, 300));
        List<String> got = fetched(VoipNowPager.fetchAll(paging(20, 40), server, 100)); // reach 60: split by prefix
        assertEquals(100, new HashSet<>(got).size());
        assertEquals(PAGE + "0", server.requests.get(0), "the first request is the probe, nothing was asked ahead of it");
    }
}
