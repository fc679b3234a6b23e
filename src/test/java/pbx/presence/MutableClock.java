package pbx.presence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand (token lifetimes, expiry), shared by every test that needs one. */
public final class MutableClock extends Clock {

    /** The instant tests start from unless they say otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-22T10:00:00Z");

    private final Instant start;
    private volatile Instant now;

    public MutableClock() {
        this(DEFAULT_START);
    }

    public MutableClock(Instant start) {
        this.start = start;
        this.now = start;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** Sets the time to the start plus {@code sinceStart}. */
    public void setSinceStart(Duration sinceStart) {
        now = start.plus(sinceStart);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
