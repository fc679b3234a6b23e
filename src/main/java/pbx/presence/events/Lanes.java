package pbx.presence.events;

import pbx.presence.change.PresenceLog.LoggedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a batch of events is delivered over several lanes: in steps, one after the other. A source's
 * up/down event (no extension) is a step of its own; a run of extension events between two of them
 * is one step, split into at most {@code lanes} lanes by source and extension, each lane in log
 * order. So one extension's events never overtake each other, and a source's up/down event comes
 * after every earlier event and before every later one.
 */
final class Lanes {

    private Lanes() {
    }

    /** The steps of {@code events} (in log order): each step a list of lanes, each lane a list of events. */
    static List<List<List<LoggedEvent>>> plan(List<LoggedEvent> events, int lanes) {
        List<List<List<LoggedEvent>>> steps = new ArrayList<>();
        int i = 0;
        while (i < events.size()) {
            if (events.get(i).extension() == null) {
                steps.add(List.of(List.of(events.get(i))));
                i++;
                continue;
            }
            int end = i;
            while (end < events.size() && events.get(end).extension() != null) {
                end++;
            }
            steps.add(split(events.subList(i, end), lanes));
            i = end;
        }
        return steps;
    }

    private static List<List<LoggedEvent>> split(List<LoggedEvent> run, int lanes) {
        int n = Math.min(lanes, run.size());
        List<List<LoggedEvent>> split = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            split.add(new ArrayList<>());
        }
        for (LoggedEvent e : run) {
            split.get(Math.floorMod(Objects.hash(e.sourceId(), e.extension()), n)).add(e);
        }
        split.removeIf(List::isEmpty);
        return split;
    }
}
